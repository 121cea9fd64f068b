"""Demo programme: webinars and the masterclass, with sessions relative to today so the site always
has upcoming and past courses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from academy.courses.models import CoursePage, Session
from masterclass.models import MasterclassPage
from webinars.models import WebinarPage

from .base import DemoContext, course_day, publish, rome, translate


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
    audience_en: str = "Coordinators, workers and management of the network's cooperatives"
    extra_en: dict = field(default_factory=dict)
    slug_en: str = ""  # the English page's slug; the Italian one when empty


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
            slug_en="privacy-health-protection-compliance",
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
            slug_en="clinical-risk-social-enterprises",
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
            audience_en="Education professionals of the network",
            slug_en="educational-social-enterprises-resist-restart",
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
            abstract_en="<p>How a welfare platform can become a strategic lever for positioning the "
                        "territories: the experiences of Sondrio, Milan, Biella, Turin and Naples.</p>",
            topics_en=["Designing or redesigning services for digital", "Co-programming with public bodies",
                       "Platform data for impact assessment"],
            slug_en="territorial-welfare-digital-platforms",
        ),
        DemoCourse(
            "comunita-energetiche-rinnovabili", WebinarPage,
            "Comunità energetiche rinnovabili: un modello di intervento per i territori",
            "Renewable energy communities: a model for the territories",
            "<p>Il progetto CER della rete: la filiera di produzione di pannelli, la formazione degli "
            "installatori e un modello di ingaggio dei territori.</p>",
            ["La filiera dei pannelli", "Formare gli installatori", "Ingaggiare i territori"],
            ["sostenibilita"], ["Flaviano Zandonai"], [(49, (15, 0), (16, 30), "online")],
            abstract_en="<p>The network's CER project: a solar-panel supply chain, training installers and "
                        "a model for engaging the territories.</p>",
            topics_en=["The panel supply chain", "Training installers", "Engaging the territories"],
            slug_en="renewable-energy-communities",
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
            abstract_en="<p>Four ways culture takes root in social enterprises: regenerating places, "
                        "cultural production, cultural welfare, and culture-led productive activities.</p>",
            topics_en=["Regenerating places", "Cultural production and heritage management", "Cultural welfare",
                       "Culture-led tourism, crafts and farming"],
            slug_en="culture-as-enterprise-cultural-welfare",
        ),
        DemoCourse(
            "attrattivita-professioni-cura", WebinarPage,
            "Attrattività delle professioni di cura: nuovi modelli di avvio al lavoro",
            "Making care jobs attractive: new ways into work",
            "<p>Progetti ad alto impatto per l'attrattività delle figure professionali e nuovi modelli "
            "di avvio al lavoro a partire dai servizi della rete.</p>",
            ["Dignità del lavoro di cura ed educativo", "Nuove generazioni e cooperazione"],
            ["politiche-lavoro"], ["Francesca Scarinci"], [(-60, (10, 0), (12, 0), "online")], hours="2",
            abstract_en="<p>High-impact projects to make care professions attractive, and new ways into "
                        "work built on the network's services.</p>",
            topics_en=["The dignity of care and educational work", "New generations and cooperation"],
            slug_en="making-care-jobs-attractive",
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
            abstract_en="<p>An inspiring path that helps renew the ambition to run social enterprises and "
                        "shares the network's expertise through case studies presented and discussed in "
                        "class.</p>",
            topics_en=["Module 1 — Purpose and directions: the network's compass",
                       "Module 2 — Open innovation and co-programming with public bodies",
                       "Module 3 — Digital transformation: case studies from the territories",
                       "Module 4 — Impact strategies and new workstreams"],
            audience_en="Young managers and middle managers of the network's cooperatives",
            extra_en={"learning_outcomes": "Read scenarios and policies\nDesign impact strategies\n"
                                           "Lead the digital transformation of services"},
            slug_en="masterclass-new-cooperative-leaders",
        ),
    ]


def load_programme(ctx: DemoContext) -> None:
    for spec in demo_courses():
        ctx.courses[spec.slug] = ensure_course(ctx, spec)


def ensure_course(ctx: DemoContext, spec: DemoCourse) -> CoursePage:
    existing = CoursePage.objects.filter(locale=ctx.it, slug=spec.slug).first()
    if existing:
        return existing.specific
    first_day = course_day(ctx.today, spec.sessions[0][0])
    page = spec.model(
        title=spec.title, slug=spec.slug, abstract=spec.abstract, topics="\n".join(spec.topics),
        audience=spec.audience, hours=Decimal(spec.hours), capacity=spec.capacity,
        registration_deadline=rome(first_day - datetime.timedelta(days=1), 18),
        contact_email="academy@example.coop", **spec.extra,
    )
    for offset, (sh, sm), (eh, em), mode in spec.sessions:
        day = course_day(ctx.today, offset)
        venue = {"in_person": "Sede del Consorzio", "hybrid": "Sede del Consorzio"}.get(mode, "")
        address = "Via Roma 1, Milano" if venue else ""
        page.sessions.add(Session(starts_at=rome(day, sh, sm), ends_at=rome(day, eh, em), mode=mode,
                                  venue=venue, address=address))
    page.areas.set([ctx.areas[slug] for slug in spec.areas])
    page.trainers.set([ctx.trainers[name] for name in spec.trainers])
    ctx.programme.add_child(instance=page)
    publish(page)
    page.refresh_schedule()
    english = {"title": spec.title_en, "audience": spec.audience_en, **spec.extra_en}
    if spec.abstract_en:
        english["abstract"] = spec.abstract_en
    if spec.topics_en:
        english["topics"] = "\n".join(spec.topics_en)
    en_page = translate(page, ctx.en, slug=spec.slug_en or spec.slug, **english)
    en_page.refresh_schedule()
    ctx.log.append(f"course {spec.slug}")
    return page
