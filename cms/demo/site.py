"""Demo site pages: locales, the home page, the programme and the "about" page."""

from __future__ import annotations

from wagtail.models import Locale, Page, Site

from cms.models import HomePage, ProgrammePage, StandardPage

from .base import DemoContext, publish, translate
from .privacy import load_privacy_notice


def load_site(ctx: DemoContext) -> None:
    ctx.it, _ = Locale.objects.get_or_create(language_code="it")
    ctx.en, _ = Locale.objects.get_or_create(language_code="en")
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale=ctx.it).first()
    if home is None:
        # The tree root comes from Wagtail's migrations; a flushed test database lacks it.
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = HomePage(
            title="Academy della rete", slug="academy", locale=ctx.it,
            intro="<p>Masterclass per la nuova classe dirigente cooperativa e webinar per chi lavora "
                  "nelle cooperative sociali della rete. La formazione è gratuita e aperta "
                  "esclusivamente ai soci della rete.</p>",
        )
        root.add_child(instance=home)
        publish(home)
        old_roots = Page.objects.filter(depth=2).exclude(pk=home.pk).exclude(content_type=home.content_type)
        if site is None:
            site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                       site_name="Academy")
        else:
            site.root_page, site.site_name = home, "Academy"
            site.save()
        for old in old_roots:
            if not Site.objects.filter(root_page=old).exists():
                old.delete()
        ctx.log.append("home page")
    ctx.home = home
    translate(home, ctx.en, title="Network Academy", slug="academy-en",
              intro="<p>Masterclasses for the new generation of cooperative leaders and webinars for "
                    "people working in the network's social cooperatives. Training is free and open "
                    "only to members of the network.</p>")

    programme = ProgrammePage.objects.filter(locale=ctx.it).first()
    if programme is None:
        programme = ProgrammePage(title="Programma", slug="programma", show_in_menus=True,
                                  intro="<p>Webinar e masterclass dell'Academy, per area tematica.</p>")
        home.add_child(instance=programme)
        publish(programme)
    ctx.programme = programme
    translate(programme, ctx.en, title="Programme", slug="programme",
              intro="<p>The Academy's webinars and masterclasses, by thematic area.</p>")

    load_privacy_notice(ctx, home)
    if not StandardPage.objects.filter(locale=ctx.it, slug="chi-siamo").exists():
        about = StandardPage(
            title="Chi siamo", slug="chi-siamo", show_in_menus=True,
            intro="L'Academy è il cantiere formativo della rete delle cooperative sociali.",
            body=[("paragraph", "<p>Formazione come apprendimento di rete da rinforzare e talenti da "
                                "scoprire nella rete: l'Academy rafforza le capacità imprenditoriali e "
                                "direzionali e la dignità del lavoro di cura ed educativo.</p>")],
        )
        home.add_child(instance=about)
        publish(about)
        translate(about, ctx.en, title="About us", slug="about",
                  intro="The Academy is the training workshop of the network of social cooperatives.",
                  body=[("paragraph", "<p>Training as network learning to strengthen and talent to discover "
                                      "within the network: the Academy builds entrepreneurial and management "
                                      "skills and the dignity of care and educational work.</p>")])
