"""Benchmark: bulk issue of attendance certificates vs one WeasyPrint render per certificate.

Usage (from the repository root)::

    .venv/bin/python benchmarks/certificates.py --count 1000 [--sample 20] [--workers 2] [--chunk-size 50]

Builds a throwaway SQLite database (migrated from scratch in a temporary directory, with PDFs under a
temporary ``PRIVATE_ROOT`` and e-mails left in the outbox), creates one finished webinar with
``--count`` confirmed registrants who all attended, and issues their certificates through
:func:`certificates.services.issue_for_course` - the same code path as the staff's bulk action: the
rule, ``Certificate`` rows with codes, bulk rendering in chunks over ``--workers`` processes, PDFs
stored, one e-mail with the PDF queued per person. Then it renders ``--sample`` of the same
certificates the naive way (:func:`render_certificate_pdf`, one document each, from the same
:func:`certificates.services.content_for`), checks that the text pypdf extracts from both is
identical, and prints the figures. The last line is machine-readable::

    certificates=1000 per_second=... naive_per_second=... ratio=... same_text=true cpu_ratio=... load1=...

``per_second`` is the whole issue (database + rendering + storage + e-mails) per wall-clock second;
``ratio`` compares it with the naive renders per second (rendering only, one process);
``cpu_ratio`` compares CPU seconds per certificate, which stays meaningful when other processes
compete for the cores (the wall-clock figures then mostly measure the neighbours).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Running "python benchmarks/certificates.py" puts benchmarks/ first on sys.path, where this very file
# would shadow the ``certificates`` app. Put the repository root first instead.
sys.path[:] = [str(REPO_ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from certificates.codes import new_public_code  # noqa: E402
from certificates.rendering import (  # noqa: E402
    CertificateContent,
    extract_text,
    normalize_whitespace,
    render_certificate_pdf,
)

FIRST_NAMES = (
    "Giuseppe", "Maria", "Giovanni", "Anna", "Antonio", "Francesca", "Mario", "Lucia", "Luigi", "Giulia",
    "Francesco", "Chiara", "Alessandro", "Sara", "Andrea", "Paola", "Marco", "Elena", "Luca", "Silvia",
    "Stefano", "Federica", "Roberto", "Valentina", "Davide", "Martina", "Salvatore", "Rosa", "Nicolò",
    "Maria Grazia", "Gian Luca", "Annalisa", "Carmela", "Pietro", "Teresa", "Simone", "Ilaria", "Noemi",
)  # fmt: skip
LAST_NAMES = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
    "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "D'Angelo",
    "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola",
)  # fmt: skip
COOPERATIVES = (
    "Cooperativa Sociale Il Girasole", "Cooperativa Sociale La Rete", "Consorzio Solidarietà Sociale",
    "Cooperativa Sociale Arcobaleno", "Cooperativa Sociale Il Mosaico", "Cooperativa Sociale Terra Nuova",
    None,
)  # fmt: skip
COURSES = (
    {
        "title": "La gestione della privacy tra tutela della salute e rispetto degli adempimenti",
        "kind": "webinar",
        "trainers": ["Daniele Consoletti"],
        "hours": Decimal("2.5"),
        "days": 1,
        "areas": ["Privacy e protezione dei dati", "Area sanitaria"],
        "competences": [
            "Applicare il GDPR al trattamento dei dati sanitari",
            "Gestire il registro dei trattamenti e le informative",
        ],
    },
    {
        "title": "Progettare l'inserimento lavorativo delle persone svantaggiate nelle cooperative di tipo B",
        "kind": "masterclass",
        "trainers": ["Giulia Ferraresi", "Marco Bellandi"],
        "hours": Decimal("12"),
        "days": 4,
        "areas": ["Inserimento lavorativo", "Progettazione sociale"],
        "competences": [
            "Costruire un progetto personalizzato di inserimento",
            "Attivare la rete dei servizi territoriali",
            "Valutare gli esiti dei percorsi di inclusione",
        ],
    },
    {
        "title": "Bilancio sociale e valutazione d'impatto nelle cooperative sociali",
        "kind": "webinar",
        "trainers": ["Daniele Consoletti", "Elisa Marchetti"],
        "hours": Decimal("3"),
        "days": 2,
        "areas": ["Governance e rendicontazione"],
        "competences": ["Redigere il bilancio sociale secondo le linee guida ministeriali"],
    },
)


def build_contents(count: int, seed: int = 2025) -> list[CertificateContent]:
    """``count`` realistic certificate contents (deterministic names/courses, random public codes)."""
    rng = random.Random(seed)
    contents = []
    for i in range(count):
        course = COURSES[i % len(COURSES)]
        start = date(2025, 3, 3) + timedelta(days=7 * rng.randrange(30))
        dates = [start + timedelta(days=7 * d) for d in range(course["days"])]
        code = new_public_code()
        contents.append(
            CertificateContent(
                code=code,
                participant_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                course_title=course["title"],
                course_kind=course["kind"],
                dates=dates,
                hours=course["hours"],
                trainers=course["trainers"],
                areas=course["areas"],
                competences=course["competences"],
                issued_on=dates[-1] + timedelta(days=3),
                verify_url=f"https://academy.coopsociali.it/verifica/{code}",
                language="en" if rng.random() < 0.05 else "it",
                organisation=rng.choice(COOPERATIVES),
            )
        )
    return contents


def setup_django(workdir: Path) -> None:
    """Point Django at a throwaway SQLite database and private folder, then migrate it."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["PRIVATE_ROOT"] = str(workdir / "private")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["TASKS_BACKEND"] = "dummy"  # e-mails stay queued in the outbox: nothing is sent
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["SITE_URL"] = "https://academy.coopsociali.it"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def build_course(count: int, seed: int = 2025):
    """One finished webinar (2.5 h, two trainers, areas, competences) with ``count`` confirmed
    registrants who all attended enough (Teams minutes), 5 % of them English-speaking."""
    import datetime

    from django.utils import timezone

    from academy.attendance.models import AttendanceRecord
    from academy.competences.models import Competence, CompetenceArea
    from academy.courses.models import Session, Trainer
    from academy.network.models import Organisation, Person
    from academy.registrations.models import Registration
    from cms import demo
    from webinars.models import WebinarPage

    rng = random.Random(seed)
    ctx = demo.DemoContext(today=timezone.localdate())
    demo.load_site(ctx)
    spec = COURSES[0]
    area, _ = CompetenceArea.objects.get_or_create(slug="bench", defaults={"name": "Gestione"})
    competences = [Competence.objects.get_or_create(slug=f"bench-{i}", defaults={"name": name, "area": area})[0]
                   for i, name in enumerate(spec["competences"])]
    trainers = [Trainer.objects.get_or_create(name=name)[0] for name in spec["trainers"] + ["Elisa Marchetti"]]
    day = timezone.localdate() - datetime.timedelta(days=3)
    start = demo.rome(day, 15)
    page = WebinarPage(title=spec["title"], slug="bench-privacy", capacity=None, hours=spec["hours"])
    page.sessions.add(Session(starts_at=start, ends_at=start + datetime.timedelta(minutes=150)))
    ctx.programme.add_child(instance=page)
    page.trainers.set(trainers)
    page.areas.set(list(ctx.areas.values())[:2])
    page.competences.set(competences)
    demo.publish(page)
    page.refresh_schedule()
    session = page.sessions.get()

    orgs = [Organisation.objects.create(name=name, kind="cooperative") for name in COOPERATIVES if name]
    people = Person.objects.bulk_create([
        Person(first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
               email=f"persona{i}@example.coop", organisation=rng.choice(orgs + [None]),
               preferred_language="en" if rng.random() < 0.05 else "it", email_verified=True)
        for i in range(count)
    ], batch_size=500)
    if people and people[0].pk is None:
        people = list(Person.objects.order_by("pk"))
    Registration.objects.bulk_create([Registration(course=page, person=p, status="confirmed") for p in people],
                                     batch_size=500)
    AttendanceRecord.objects.bulk_create([
        AttendanceRecord(session=session, person=p, source="teams", minutes=rng.randrange(125, 151))
        for p in people
    ], batch_size=500)
    return page


def quiet_weasyprint() -> None:
    """WeasyPrint logs every layout step at INFO (and a warning per font without HarfBuzz-Subset)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates to issue with the bulk path")
    parser.add_argument("--sample", type=int, default=20, help="certificates to also render the naive way")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for the bulk path")
    parser.add_argument("--chunk-size", type=int, default=50, help="certificates per WeasyPrint document")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and PDFs")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="academy-bench-certificates-"))
    setup_started = time.perf_counter()
    setup_django(workdir)
    quiet_weasyprint()
    from certificates import services
    from certificates.models import Certificate

    course = build_course(args.count)
    print(f"database: {workdir / 'bench.sqlite3'} ready in {time.perf_counter() - setup_started:.1f} s")
    print(f"cpus: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    # Warm-up outside the timings: template compilation, font discovery, imports.
    render_certificate_pdf(build_contents(1)[0])

    naive: list[bytes] = []
    naive_codes: list[str] = []
    naive_seconds = naive_cpu = 0.0

    def run_naive(batch: list[CertificateContent]) -> None:
        nonlocal naive_seconds, naive_cpu
        wall, cpu = time.perf_counter(), time.process_time()
        naive.extend(render_certificate_pdf(content) for content in batch)
        naive_seconds += time.perf_counter() - wall
        naive_cpu += time.process_time() - cpu
        naive_codes.extend(content.code for content in batch)

    # The machine is shared: half of the naive sample runs before the bulk issue (on contents built
    # like the real ones) and half after it (on the issued certificates), so both see similar load.
    sample = min(args.sample, args.count)
    pre = build_contents(sample // 2)
    run_naive(pre)
    del naive[:], naive_codes[:]
    pre_seconds, pre_cpu = naive_seconds, naive_cpu

    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    result = services.issue_for_course(course, workers=args.workers, chunk_size=args.chunk_size)
    bulk_seconds = time.perf_counter() - wall
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent_cpu = time.process_time() - cpu
    bulk_cpu = (
        parent_cpu
        + (children_after.ru_utime - children_before.ru_utime)
        + (children_after.ru_stime - children_before.ru_stime)
    )
    issued = list(Certificate.objects.filter(course=course).select_related("person__organisation", "course")
                  .order_by("pk"))

    # The other half of the naive sample: the very certificates just issued, for the text comparison.
    naive_seconds = naive_cpu = 0.0
    checked = rng_sample(issued, sample - sample // 2)
    run_naive([services.content_for(c) for c in checked])
    naive_seconds += pre_seconds
    naive_cpu += pre_cpu

    from academy.core.models import OutboxMessage

    emails = OutboxMessage.objects.filter(key__startswith="certificate:").count()
    naive_per_second = sample / naive_seconds if sample and naive_seconds else 0.0
    per_second = len(issued) / bulk_seconds
    total_mb = sum((Path(os.environ["PRIVATE_ROOT"]) / c.pdf.name).stat().st_size for c in issued) / 1e6
    print(
        f"naive: {sample} certificates in {naive_seconds:.2f} s ({naive_per_second:.2f}/s), "
        f"{naive_cpu / max(sample, 1) * 1000:.1f} ms CPU each"
    )
    print(
        f"issue_for_course: {result.created} certificates in {bulk_seconds:.2f} s ({per_second:.2f}/s), "
        f"{bulk_cpu / max(len(issued), 1) * 1000:.1f} ms CPU each, workers={args.workers} "
        f"chunk_size={args.chunk_size}, {total_mb:.1f} MB of PDF, {emails} e-mails queued; "
        f"of which {parent_cpu / max(len(issued), 1) * 1000:.1f} ms in the issuing process (rule, rows, "
        f"storage, e-mails)"
    )
    cpu_ratio = (naive_cpu / max(sample, 1)) / (bulk_cpu / len(issued)) if sample and bulk_cpu else 0.0

    mismatches = []
    for certificate, naive_pdf in zip(checked, naive, strict=True):
        stored = (Path(os.environ["PRIVATE_ROOT"]) / certificate.pdf.name).read_bytes()
        if normalize_whitespace(extract_text(stored)) != normalize_whitespace(extract_text(naive_pdf)):
            mismatches.append(certificate.code)
    same_text = (len(issued) == args.count == result.created == emails and not mismatches)
    if mismatches:
        print(f"text differs for {len(mismatches)} of {len(checked)} sampled certificates: {mismatches[:5]}")
    ratio = per_second / naive_per_second if naive_per_second else 0.0
    print(
        f"certificates={len(issued)} per_second={per_second:.1f} naive_per_second={naive_per_second:.2f} "
        f"ratio={ratio:.1f} same_text={'true' if same_text else 'false'} cpu_ratio={cpu_ratio:.1f} "
        f"load1={os.getloadavg()[0]:.2f}"
    )
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if same_text else 1


def rng_sample(items: list, k: int) -> list:
    return random.Random(7).sample(items, min(k, len(items)))


if __name__ == "__main__":
    sys.exit(main())
