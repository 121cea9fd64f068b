"""Benchmark: a background bulk issue of signed, tagged attendance certificates by the task queue's
workers, against one naive render (and signature) per certificate.

Usage (from the repository root; needs Redis)::

    .venv/bin/python benchmarks/certificates.py --count 1000 [--sample 20] [--workers 2] \
        [--redis-url redis://127.0.0.1:6379/14]

Builds a throwaway SQLite database (migrated from scratch in a temporary directory, with PDFs under a
temporary ``PRIVATE_ROOT``), creates one finished webinar with ``--count`` confirmed registrants who all
attended, starts ``--workers`` task workers (``manage.py academy_worker default`` on the given Redis
database, emptied first) and asks for the staff's bulk issue (:func:`certificates.services.start_bulk_issue`):
the rule, ``Certificate`` rows with codes, one task per batch of certificates, each rendered with the one
render path, signed (PAdES, the embedded test certificate), stored once and e-mailed (the e-mails stay
in the outbox: no worker serves the e-mail queue here). The clock runs from the request to the job's
"done". Then ``--sample`` of the same certificates are rendered and signed the naive way, in this
process, their text compared with the stored files', and every stored file's signature is validated.
The last line is machine-readable::

    certificates=1000 seconds=... per_second=... naive_per_second=... ratio=... signed=1000 same_text=true load1=...

``ratio`` is ``per_second`` over the naive renders per second (one process); the goal is the wall time
(1,000 in at most 240 s on two cores). On a shared machine the figures mostly measure the neighbours:
``load1`` is printed with them.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
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
    os.environ.setdefault("TASKS_BACKEND", "dummy")  # e-mails stay queued in the outbox: nothing is sent
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


def start_workers(count: int) -> list:
    import subprocess

    return [subprocess.Popen([sys.executable, str(REPO_ROOT / "manage.py"), "academy_worker", "default"],
                             cwd=REPO_ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for _ in range(count)]


def stop_workers(workers: list) -> None:
    for worker in workers:  # only the processes this script started, by their handle
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=10)
        except Exception:
            worker.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates to issue in the background")
    parser.add_argument("--sample", type=int, default=20, help="certificates to also render the naive way")
    parser.add_argument("--workers", type=int, default=2, help="task worker processes")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
                        help="a Redis database for the task queue (emptied first)")
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and PDFs")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="academy-bench-certificates-"))
    os.environ["TASKS_BACKEND"] = "rq"
    os.environ["REDIS_URL"] = args.redis_url
    setup_started = time.perf_counter()
    setup_django(workdir)
    quiet_weasyprint()
    import django_rq

    from academy.core import signing
    from certificates import services
    from certificates.models import BulkIssueJob, Certificate
    from certificates.services.delivery import signed_pdf

    for name in ("default", "email"):
        django_rq.get_queue(name).empty()
    course = build_course(args.count)
    signing.sign_pdf(render_certificate_pdf(build_contents(1)[0]))  # warm-up; makes the test certificate
    print(f"database: {workdir / 'bench.sqlite3'} ready in {time.perf_counter() - setup_started:.1f} s")
    print(f"cpus: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(the machine may be shared: other processes compete for the cores)")

    workers = start_workers(args.workers)
    try:
        time.sleep(3)  # let the workers import Django before the clock starts
        wall = time.perf_counter()
        job = services.start_bulk_issue(course, None)
        last = -1
        while True:
            job.refresh_from_db()
            if job.done != last:
                last = job.done
                print(f"  {time.perf_counter() - wall:6.1f} s  {job.done}/{job.total} ({job.status})", flush=True)
            if job.status in (BulkIssueJob.Status.DONE, BulkIssueJob.Status.FAILED):
                break
            if time.perf_counter() - wall > args.timeout:
                print("timed out")
                break
            time.sleep(1)
        bulk_seconds = time.perf_counter() - wall
    finally:
        stop_workers(workers)
        for name in ("default", "email"):
            django_rq.get_queue(name).empty()
    load1 = os.getloadavg()[0]
    issued = list(Certificate.objects.filter(course=course).exclude(pdf="")
                  .select_related("person__organisation", "course").order_by("pk"))
    private = Path(os.environ["PRIVATE_ROOT"])

    checked = rng_sample(issued, min(args.sample, len(issued)))
    naive: list[bytes] = []
    started = time.perf_counter()
    for certificate in checked:
        naive.append(signed_pdf(services.content_for(certificate)))
    naive_seconds = time.perf_counter() - started
    mismatches = [c.code for c, pdf in zip(checked, naive, strict=True)
                  if normalize_whitespace(extract_text((private / c.pdf.name).read_bytes()))
                  != normalize_whitespace(extract_text(pdf))]
    signed = sum(1 for c in issued if signing.check_pdf((private / c.pdf.name).read_bytes()).valid)

    from academy.core.models import OutboxMessage

    emails = OutboxMessage.objects.filter(key__startswith="certificate:").count()
    per_second = len(issued) / bulk_seconds
    naive_per_second = len(checked) / naive_seconds if naive_seconds else 0.0
    total_mb = sum((private / c.pdf.name).stat().st_size for c in issued) / 1e6
    print(f"background: {len(issued)} certificates in {bulk_seconds:.1f} s ({per_second:.2f}/s) with "
          f"{args.workers} workers, {total_mb:.1f} MB of PDF, {emails} e-mails queued, job {job.status}")
    print(f"naive (render + sign, one process): {len(checked)} in {naive_seconds:.2f} s ({naive_per_second:.2f}/s)")
    if mismatches:
        print(f"text differs for {len(mismatches)} of {len(checked)} sampled certificates: {mismatches[:5]}")
    same_text = not mismatches and len(issued) == args.count == emails
    ratio = per_second / naive_per_second if naive_per_second else 0.0
    print(f"certificates={len(issued)} seconds={bulk_seconds:.1f} per_second={per_second:.2f} "
          f"naive_per_second={naive_per_second:.2f} ratio={ratio:.2f} signed={signed} "
          f"same_text={'true' if same_text else 'false'} load1={load1:.2f}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if same_text and signed == len(issued) else 1


def rng_sample(items: list, k: int) -> list:
    return random.Random(7).sample(items, min(k, len(items)))


if __name__ == "__main__":
    sys.exit(main())
