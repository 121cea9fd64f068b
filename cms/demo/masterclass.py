"""Demo content of the masterclass: its modules, a trainer account with a sample material, demo editor
and moderator accounts, and the case-study library.

Idempotent: everything is looked up by slug or username before it is created. Demo accounts
(documented in the README): ``formatrice`` / ``academy-trainer``, ``redattrice`` / ``academy-editor``,
``moderatore`` / ``academy-moderator``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from academy.materials import services as materials
from cms.editorial import setup_editorial_roles
from masterclass.models import (
    CaseStudyFigure,
    CaseStudyIndexPage,
    CaseStudyPage,
    MasterclassModule,
    MasterclassPage,
)

from .base import DemoContext, demo_password, publish, translate
from .case_studies import Study, studies

MASTERCLASS_SLUG = "masterclass-nuova-classe-dirigente"

MODULES = [
    ("Scopo e direzioni: la bussola della rete", "Scenari di cambiamento, Grand Challenges e ruolo di una "
     "rete di imprese sociali: perché esistiamo, verso dove andiamo.", "3.5"),
    ("Innovazione aperta e co-programmazione con la PA", "Dalla co-progettazione alla co-programmazione; "
     "la forma consortile come luogo di scambio e sviluppo territoriale.", "3.5"),
    ("Trasformazione digitale: casi studio dai territori", "Piattaforme di welfare territoriale, WelfareX, "
     "Experience the Change: il digitale come leva per rivedere i processi.", "7"),
    ("Strategie ad impatto e nuovi cantieri", "Progettare strategie ad impatto: CER, cultura e "
     "rigenerazione, nuovi modelli di avvio al lavoro.", "3.5"),
]

MODULES_EN = [
    ("Purpose and directions: the network's compass", "Scenarios of change, Grand Challenges and the role of "
     "a network of social enterprises: why we exist, where we are heading."),
    ("Open innovation and co-programming with public bodies", "From co-design to co-programming; the "
     "consortium as a place of exchange and territorial development."),
    ("Digital transformation: case studies from the territories", "Territorial welfare platforms, WelfareX, "
     "Experience the Change: digital as a lever to rethink processes."),
    ("Impact strategies and new workstreams", "Designing impact strategies: energy communities, culture and "
     "regeneration, new ways into work."),
]
APPLICATION_NOTE_EN = (
    "<p>Places in the masterclass are limited: apply stating your role, your cooperative and your "
    "motivation, endorsed by your management or HR manager. The staff select the participants and "
    "announce the outcome by e-mail.</p>")


def load_masterclass(ctx: DemoContext) -> None:
    masterclass = MasterclassPage.objects.filter(locale=ctx.it, slug=MASTERCLASS_SLUG).first()
    if masterclass is not None:
        _ensure_modules(masterclass)
        _ensure_trainer(ctx, masterclass)
    library = _ensure_library(ctx)
    for spec in studies():
        _ensure_study(ctx, library, spec, masterclass if spec.in_masterclass else None)
    _ensure_editorial_accounts()


def _ensure_modules(masterclass: MasterclassPage) -> None:
    english = masterclass.get_translation_or_none(masterclass.locale.__class__.objects.get(language_code="en"))
    if english is not None and not english.specific.modules.exists():
        english = english.specific
        for index, ((_title, _description, hours), (title, description)) in enumerate(zip(MODULES, MODULES_EN, strict=True)):
            MasterclassModule.objects.create(page=english, sort_order=index, title=title,
                                             description=description, hours=Decimal(hours))
        english.application_note = APPLICATION_NOTE_EN
        english.save_revision().publish()
    if masterclass.modules.exists():
        return
    for index, (title, description, hours) in enumerate(MODULES):
        MasterclassModule.objects.create(page=masterclass, sort_order=index, title=title,
                                         description=description, hours=Decimal(hours))
    masterclass.application_note = (
        "<p>La masterclass è a numero chiuso: candidati indicando il tuo ruolo, la cooperativa e la "
        "motivazione, con l'avallo della tua direzione o del responsabile del personale. Lo staff "
        "seleziona i partecipanti e comunica l'esito via e-mail.</p>")
    masterclass.save_revision().publish()


def _ensure_trainer(ctx: DemoContext, masterclass: MasterclassPage) -> None:
    trainer = ctx.trainers.get("Francesca Battistoni")
    if trainer is None:
        return
    User = get_user_model()
    if trainer.user_id is None:
        user = User.objects.filter(username="formatrice").first() or User.objects.create_user(
            username="formatrice", email="formatrice@example.coop", password=demo_password("academy-trainer"),
            first_name="Francesca", last_name="Battistoni")
        trainer.user = user
        trainer.save(update_fields=["user"])
    session = masterclass.sessions.order_by("starts_at").first()
    if session is None or session.materials.exists():
        return
    materials.add_material(
        session, title="Slide — Modulo 1: la bussola della rete", by=trainer.user,
        upload=SimpleUploadedFile("bussola-della-rete.pdf", _sample_pdf(), content_type="application/pdf"),
        visible_after_session=True,
    )
    ctx.log.append("trainer account and sample material")


def _sample_pdf() -> bytes:
    """A minimal valid one-page PDF (so the demo needs no PDF library)."""
    text = b"BT /F1 18 Tf 60 760 Td (Masterclass - Modulo 1: la bussola della rete) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _ensure_library(ctx: DemoContext) -> CaseStudyIndexPage:
    library = CaseStudyIndexPage.objects.filter(locale=ctx.it).first()
    if library is None:
        library = CaseStudyIndexPage(
            title="Casi studio", slug="casi-studio", show_in_menus=True,
            intro="<p>L'expertise della rete in casi concreti, presentati e discussi nelle masterclass: "
                  "piattaforme di welfare territoriale, percorsi digitali, comunità energetiche, cultura.</p>")
        ctx.home.add_child(instance=library)
        publish(library)
        ctx.log.append("case-study library")
    translate(library, ctx.en, title="Case studies", slug="case-studies",
              intro="<p>The network's expertise in real cases, presented and discussed in the masterclasses.</p>")
    return library


def _ensure_study(ctx: DemoContext, library: CaseStudyIndexPage, spec: Study,
                  masterclass: MasterclassPage | None) -> CaseStudyPage:
    page = CaseStudyPage.objects.filter(locale=ctx.it, slug=spec.slug).first()
    if page is None:
        page = CaseStudyPage(
            title=spec.title, slug=spec.slug, summary=spec.summary, territory=spec.territory,
            area=ctx.areas.get(spec.area), sector=spec.sector, challenge=spec.challenge,
            approach=spec.approach, results=spec.results, body=[("paragraph", spec.body)],
        )
        page.figures = [CaseStudyFigure(value=v, label=label) for v, label, _en in spec.figures]
        page.cooperatives.set([ctx.organisations[n] for n in spec.cooperatives if n in ctx.organisations])
        if masterclass is not None:
            page.masterclasses.set([masterclass])
        page.tags.set(spec.tags)
        library.add_child(instance=page)
        publish(page)
        ctx.log.append(f"case study {spec.slug}")
    translate(page, ctx.en, title=spec.title_en, slug=slugify(spec.title_en),  # English pages, English addresses
              summary=spec.summary_en,
              territory=spec.territory_en or spec.territory,
              results=spec.results_en, challenge=spec.challenge_en, approach=spec.approach_en,
              body=[("paragraph", spec.body_en)],
              figures=[CaseStudyFigure(value=v, label=en) for v, _it, en in spec.figures])
    return page


def _ensure_editorial_accounts() -> None:
    setup = setup_editorial_roles()
    User = get_user_model()
    for username, password, group in (("redattrice", "academy-editor", setup.editors),
                                      ("moderatore", "academy-moderator", setup.moderators)):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, email=f"{username}@example.coop",
                                            password=demo_password(password))
        user.groups.add(group)
