"""Demo content taken from the network's own documents (see ../shared/seeds/).

Idempotent: everything is looked up by a natural key (slug, name, tax code) before it is created, so
running ``manage.py load_demo`` again changes nothing that exists. Course dates are relative to
today, so the site always has upcoming and past courses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import Locale, Page, Site

from academy.courses.models import CoursePage, Session, ThematicArea, Trainer
from academy.network.models import Organisation
from cms.models import HomePage, ProgrammePage, StandardPage
from masterclass.models import MasterclassPage
from webinars.models import WebinarPage

# Other apps append loaders ("module.function") that take the DemoContext.
LOADERS = [
    "cms.demo.load_site",
    "cms.demo.load_network",
    "cms.demo.load_programme",
    "masterclass.demo.load_masterclass",
    "academy.competences.demo.load_competences",
    "certificates.demo.load_history",
]

AREAS = [
    ("educazione", "Educazione", "Education",
     "Servizi educativi 0–29 anni, approccio educante con valore trasformativo."),
    ("socio-sanitario", "Socio-sanitario", "Health and social care",
     "Domiciliarità, servizi socio-sanitari, co-programmazione con Comuni e ASL."),
    ("digitale", "Digitale", "Digital",
     "Il digitale come leva per rivedere i processi; piattaforme di welfare territoriale."),
    ("sostenibilita", "Sostenibilità", "Sustainability",
     "Comunità energetiche rinnovabili e filiere sostenibili."),
    ("cultura-rigenerazione", "Cultura e rigenerazione", "Culture and regeneration",
     "Rigenerazione di beni, produzione culturale, welfare culturale."),
    ("politiche-lavoro", "Politiche del lavoro", "Labour policies",
     "Attrattività delle figure professionali e nuovi modelli di avvio al lavoro."),
    ("sistemi-gestione", "Sistemi di gestione", "Management systems",
     "Privacy, rischio clinico, qualità e adempimenti nei servizi."),
]

ORGANISATIONS = [
    # name, kind, parent, tax code, domains, city, region
    ("Consorzio Nazionale CGM", "national", None, "03067450175", "cgm.coop", "Milano", "Lombardia"),
    ("Consorzio Solco Cremona", "territorial", "Consorzio Nazionale CGM", "00936000199",
     "solcocremona.it", "Cremona", "Lombardia"),
    ("Consorzio Proodos", "territorial", "Consorzio Nazionale CGM", "07213510634",
     "consorzioproodos.it", "Napoli", "Campania"),
    ("Mestieri Cremona", "cooperative", "Consorzio Solco Cremona", "01405780196", "mestiericremona.it",
     "Cremona", "Lombardia"),
    ("Cooperativa Gruppo Gamma", "cooperative", "Consorzio Solco Cremona", "00825690191",
     "gruppogamma.coop", "Cremona", "Lombardia"),
    ("Cooperativa Nazareth", "cooperative", "Consorzio Solco Cremona", "00934740192", "nazareth.coop",
     "Cremona", "Lombardia"),
    ("Cooperativa Cosper", "cooperative", "Consorzio Solco Cremona", "00906400197", "cosper.coop",
     "Cremona", "Lombardia"),
    ("Stripes Cooperativa Sociale", "cooperative", "Consorzio Nazionale CGM", "09327240157",
     "stripes.coop", "Rho", "Lombardia"),
]

TRAINERS = [
    ("Daniele Consoletti", "avvocato esperto di sistemi privacy", "Lawyer, expert in privacy systems"),
    ("Mario Iesurum", "formatore e consulente esperto in risk management",
     "Trainer and consultant in risk management"),
    ("Laura Malavasi", "pedagogista", "Pedagogist"),
    ("Francesca Battistoni", "esperta in innovazione sociale, socia fondatrice di Social Seed",
     "Social innovation expert, co-founder of Social Seed"),
    ("Flaviano Zandonai", "ricercatore sull'impresa sociale", "Social enterprise researcher"),
    ("Francesca Scarinci", "direttrice di CgMoving, esperta di progettazione territoriale",
     "Director of CgMoving, territorial planning expert"),
]


@dataclass
class DemoContext:
    today: datetime.date
    it: Locale = None
    en: Locale = None
    home: HomePage = None
    programme: ProgrammePage = None
    areas: dict[str, ThematicArea] = field(default_factory=dict)
    trainers: dict[str, Trainer] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    courses: dict[str, CoursePage] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def rome(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute,
                             tzinfo=timezone.get_default_timezone())


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page: Page, locale: Locale, **fields) -> Page:
    """The page's translation in ``locale``, created (and published) if missing."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    translated = page.copy_for_translation(locale, copy_parents=False).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    return publish(translated)


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

    if not StandardPage.objects.filter(locale=ctx.it, slug="privacy").exists():
        privacy = StandardPage(
            title="Informativa privacy", slug="privacy", show_in_menus=False,
            intro="Come l'Academy tratta i dati personali di chi si iscrive ai corsi.",
            body=[("paragraph", "<p>Titolare del trattamento è il Consorzio Nazionale. I dati (nome, "
                                "e-mail, organizzazione, presenze) servono a gestire iscrizioni, "
                                "inviti ai webinar e attestati; sono conservati per il periodo di "
                                "conservazione indicato e poi cancellati. Puoi scaricare i tuoi dati "
                                "e chiederne la cancellazione da «La mia Academy».</p>")],
        )
        home.add_child(instance=privacy)
        publish(privacy)
        translate(privacy, ctx.en, title="Privacy notice", slug="privacy",
                  intro="How the Academy handles the personal data of people who register.")
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
                  intro="The Academy is the training workshop of the network of social cooperatives.")


def load_network(ctx: DemoContext) -> None:
    for index, (slug, name, name_en, description) in enumerate(AREAS):
        area, _ = ThematicArea.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "description": description,
                                 "sort_order": index})
        ctx.areas[slug] = area
    for name, title, title_en in TRAINERS:
        trainer, _ = Trainer.objects.get_or_create(name=name, defaults={"title": title, "bio_en": title_en})
        ctx.trainers[name] = trainer
    for name, kind, parent, tax_code, domains, city, region in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            tax_code=tax_code,
            defaults={"name": name, "kind": kind, "parent": ctx.organisations.get(parent),
                      "email_domains": domains, "city": city, "region": region,
                      "member_from": datetime.date(2015, 1, 1)},
        )
        ctx.organisations[name] = org


@dataclass
class DemoCourse:
    slug: str
    model: type[CoursePage]
    title: str
    title_en: str
    abstract: str
    topics: list[str]
    areas: list[str]
    trainers: list[str]
    sessions: list[tuple[int, tuple[int, int], tuple[int, int], str]]  # day offset, start, end, mode
    hours: str = "1.5"
    capacity: int | None = 300
    audience: str = "Coordinatori, operatori e direzioni delle cooperative della rete"
    extra: dict = field(default_factory=dict)
    abstract_en: str = ""
    topics_en: list[str] = field(default_factory=list)


def demo_courses() -> list[DemoCourse]:
    return [
        DemoCourse(
            "privacy-tutela-salute-adempimenti", WebinarPage,
            "La gestione della privacy tra tutela della salute e rispetto degli adempimenti",
            "Managing privacy between health protection and compliance",
            "<p>Le pratiche richieste oggi dal sistema sanitario alle imprese sociali nella gestione dei "
            "servizi, e gli accorgimenti utili per i datori di lavoro.</p>",
            ["Le “nuove” pratiche richieste oggi da parte del sistema sanitario alle imprese sociali "
             "nella gestione dei servizi e accorgimenti utili da parte dei datori di lavoro",
             "Le piattaforme per la didattica a distanza dal punto di vista della tutela della privacy "
             "soprattutto di chi le utilizza (minori in primis)",
             "Le mappature epidemiologiche e il contact tracing: il parere del garante",
             "Il difficile equilibrio tra tutela della salute e diritti individuali",
             "La privacy e alcuni spunti per difendersi dalle truffe on line"],
            ["sistemi-gestione", "digitale"], ["Daniele Consoletti"],
            [(7, (15, 0), (16, 30), "online")],
            abstract_en="<p>What the health system now asks of social enterprises running services, and "
                        "practical advice for employers.</p>",
            topics_en=["The “new” practices the health system asks of social enterprises, and what "
                       "employers should do", "Distance-learning platforms and the privacy of their users "
                       "(children first)", "Epidemiological mapping and contact tracing: the data "
                       "protection authority's opinion", "Balancing health protection and individual "
                       "rights", "Privacy and how to defend yourself from online fraud"],
        ),
        DemoCourse(
            "rischio-clinico-imprese-sociali", WebinarPage,
            "La gestione del rischio clinico nei servizi delle imprese sociali",
            "Clinical risk management in social enterprises' services",
            "<p>Identificare i fattori che determinano il rischio clinico, analizzarli, valutarli e "
            "definire le strategie per governarli. Il webinar fornisce gli strumenti base di risk "
            "management e un linguaggio comune per una efficace gestione del “rischio clinico”.</p>",
            ["Cosa significa gestione del rischio e quali sono i passaggi metodologici fondamentali",
             "Approccio proattivo e reattivo", "Come impostare un processo di risk assessment",
             "Cosa si intende per incident reporting",
             "Eventi avversi (e sentinella): la loro gestione nel processo di risk management",
             "Come e quanto incide il Fattore Umano"],
            ["socio-sanitario", "sistemi-gestione"], ["Mario Iesurum"],
            [(14, (15, 0), (16, 30), "online")],
            abstract_en="<p>Identifying, analysing and assessing the factors behind clinical risk, and "
                        "defining strategies to govern them: the basic tools of risk management and a "
                        "common language for managing clinical risk.</p>",
            topics_en=["What risk management means and its key methodological steps",
                       "Proactive and reactive approaches", "Setting up a risk assessment process",
                       "Incident reporting", "Adverse and sentinel events in risk management",
                       "How much the human factor weighs"],
        ),
        DemoCourse(
            "imprese-sociali-educazione-resistere-ripartire", WebinarPage,
            "Le imprese sociali dell'educazione: spunti e stimoli per resistere oggi e ripartire domani",
            "Educational social enterprises: ideas to resist today and restart tomorrow",
            "<p>Un appuntamento online per i professionisti dell'area educazione della rete: buone "
            "prassi per la continuità delle relazioni educative, di cura e di assistenza con i bambini, "
            "le famiglie e le comunità, e i nuovi bisogni delle famiglie.</p>",
            ["Rileggere le esperienze educative di questo periodo",
             "I nuovi bisogni delle famiglie", "Il ri-orientamento dei servizi"],
            ["educazione"], ["Laura Malavasi", "Francesca Battistoni", "Flaviano Zandonai"],
            [(21, (10, 30), (12, 0), "online")], audience="Professionisti dell'area educazione della rete",
            abstract_en="<p>An online meeting for the network's education professionals: good practices "
                        "for keeping educational and care relationships with children, families and "
                        "communities going, and the new needs of families.</p>",
            topics_en=["Looking back at this period's educational experiences", "Families' new needs",
                       "Re-orienting the services"],
        ),
        DemoCourse(
            "welfare-territoriale-piattaforme-digitali", WebinarPage,
            "Experience the change: welfare territoriale e piattaforme digitali",
            "Experience the change: territorial welfare and digital platforms",
            "<p>Come una piattaforma di welfare può diventare leva strategica per il posizionamento dei "
            "territori: le esperienze di Sondrio, Milano, Biella, Torino e Napoli.</p>",
            ["Pensare o ripensare i servizi in funzione digitale", "Co-programmazione con la PA",
             "Dati delle piattaforme per la valutazione d'impatto"],
            ["digitale", "socio-sanitario"], ["Francesca Scarinci", "Francesca Battistoni"],
            [(35, (14, 30), (16, 30), "online")], hours="2",
        ),
        DemoCourse(
            "comunita-energetiche-rinnovabili", WebinarPage,
            "Comunità energetiche rinnovabili: un modello di intervento per i territori",
            "Renewable energy communities: a model for the territories",
            "<p>Il progetto CER della rete: la filiera di produzione di pannelli, la formazione degli "
            "installatori e un modello di ingaggio dei territori.</p>",
            ["La filiera dei pannelli", "Formare gli installatori", "Ingaggiare i territori"],
            ["sostenibilita"], ["Flaviano Zandonai"], [(49, (15, 0), (16, 30), "online")],
        ),
        DemoCourse(
            "welfare-culturale-rigenerazione", WebinarPage,
            "Cultura come impresa: rigenerazione di beni e welfare culturale",
            "Culture as enterprise: regenerating places and cultural welfare",
            "<p>I quattro ambiti d'innesto della cultura per le imprese sociali: rigenerazione di beni, "
            "produzione culturale, welfare culturale, attività produttive a traino cultura.</p>",
            ["Rigenerazione di beni", "Produzione culturale e gestione di beni culturali",
             "Welfare culturale", "Turismo, artigianato e agricoltura a traino cultura"],
            ["cultura-rigenerazione"], ["Flaviano Zandonai"], [(-30, (15, 0), (16, 30), "online")],
        ),
        DemoCourse(
            "attrattivita-professioni-cura", WebinarPage,
            "Attrattività delle professioni di cura: nuovi modelli di avvio al lavoro",
            "Making care jobs attractive: new ways into work",
            "<p>Progetti ad alto impatto per l'attrattività delle figure professionali e nuovi modelli "
            "di avvio al lavoro a partire dai servizi della rete.</p>",
            ["Dignità del lavoro di cura ed educativo", "Nuove generazioni e cooperazione"],
            ["politiche-lavoro"], ["Francesca Scarinci"], [(-60, (10, 0), (12, 0), "online")], hours="2",
        ),
        DemoCourse(
            "masterclass-nuova-classe-dirigente", MasterclassPage,
            "Masterclass per la nuova classe dirigente cooperativa",
            "Masterclass for the new generation of cooperative leaders",
            "<p>Un percorso «inspiring» che aiuta a rigenerare le aspirazioni a fare impresa sociale e "
            "condivide l'expertise della rete attraverso casi studio presentati e discussi in aula.</p>",
            ["Modulo 1 — Scopo e direzioni: la bussola della rete",
             "Modulo 2 — Innovazione aperta e co-programmazione con la PA",
             "Modulo 3 — Trasformazione digitale: casi studio dai territori",
             "Modulo 4 — Strategie ad impatto e nuovi cantieri"],
            ["politiche-lavoro", "digitale", "sostenibilita"],
            ["Francesca Battistoni", "Flaviano Zandonai", "Francesca Scarinci"],
            [(30, (9, 30), (13, 0), "in_person"), (44, (9, 30), (13, 0), "online"),
             (58, (9, 30), (17, 0), "hybrid"), (72, (9, 30), (13, 0), "in_person")],
            hours="17.5", capacity=25, audience="Giovani dirigenti e quadri delle cooperative della rete",
            extra={"registration_mode": CoursePage.RegistrationMode.APPLICATION,
                   "learning_outcomes": "Leggere scenari e politiche\nProgettare strategie ad impatto\n"
                                        "Guidare la trasformazione digitale dei servizi"},
        ),
    ]


def load_programme(ctx: DemoContext) -> None:
    for spec in demo_courses():
        ctx.courses[spec.slug] = ensure_course(ctx, spec)


def ensure_course(ctx: DemoContext, spec: DemoCourse) -> CoursePage:
    existing = CoursePage.objects.filter(locale=ctx.it, slug=spec.slug).first()
    if existing:
        return existing.specific
    first_day = ctx.today + datetime.timedelta(days=spec.sessions[0][0])
    page = spec.model(
        title=spec.title, slug=spec.slug, abstract=spec.abstract, topics="\n".join(spec.topics),
        audience=spec.audience, hours=Decimal(spec.hours), capacity=spec.capacity,
        registration_deadline=rome(first_day - datetime.timedelta(days=1), 18),
        contact_email="academy@example.coop", **spec.extra,
    )
    for offset, (sh, sm), (eh, em), mode in spec.sessions:
        day = ctx.today + datetime.timedelta(days=offset)
        venue = {"in_person": "Sede del Consorzio", "hybrid": "Sede del Consorzio"}.get(mode, "")
        address = "Via Roma 1, Milano" if venue else ""
        page.sessions.add(Session(starts_at=rome(day, sh, sm), ends_at=rome(day, eh, em), mode=mode,
                                  venue=venue, address=address))
    page.areas.set([ctx.areas[slug] for slug in spec.areas])
    page.trainers.set([ctx.trainers[name] for name in spec.trainers])
    ctx.programme.add_child(instance=page)
    publish(page)
    page.refresh_schedule()
    english = {"title": spec.title_en}
    if spec.abstract_en:
        english["abstract"] = spec.abstract_en
    if spec.topics_en:
        english["topics"] = "\n".join(spec.topics_en)
    en_page = translate(page, ctx.en, slug=spec.slug, **english)
    en_page.refresh_schedule()
    ctx.log.append(f"course {spec.slug}")
    return page


@transaction.atomic
def load_all(today: datetime.date | None = None) -> DemoContext:
    ctx = DemoContext(today=today or timezone.localdate())
    for path in LOADERS:
        import_string(path)(ctx)
    return ctx
