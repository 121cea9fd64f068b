"""Site pages: home, standard content pages and the programme catalogue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from academy.courses import catalogue
from academy.courses.blocks import BodyBlock
from academy.registrations.services import attach_public_states
from cms.case_studies import latest_case_studies


class HomePage(Page):
    """The Academy's front page: what's next, the thematic areas, the latest case studies."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from academy.courses.models import ThematicArea

        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = catalogue.find_courses(self.locale, period=catalogue.UPCOMING)[:6]
        attach_public_states(context["upcoming"])
        context["areas"] = ThematicArea.objects.all()
        context["programme"] = ProgrammePage.objects.live().filter(locale=self.locale).first()
        context["latest_case_studies"] = latest_case_studies(self.locale, limit=3)
        return context


class StandardPage(Page):
    """A plain content page (about, privacy notice, contacts, ...)."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class ProgrammePage(Page):
    """The programme catalogue: upcoming and past courses, filterable by area, format and month,
    with text search."""

    intro = RichTextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["webinars.WebinarPage", "masterclass.MasterclassPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("programme")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = catalogue.CatalogueFilters.from_query(request.GET)
        context["filters"] = filters
        context["courses"] = catalogue.find_courses(self.locale, **filters.as_kwargs())
        attach_public_states(context["courses"])
        context["programme"] = self
        context["facets"] = catalogue.facets()
        return context


@register_setting(icon="site")
class SiteFooter(BaseSiteSetting):
    """Footer contact details shown on every page."""

    contact_email = models.EmailField(_("contact e-mail"), default="academy@example.coop")
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("site footer")
