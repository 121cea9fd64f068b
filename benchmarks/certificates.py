"""Benchmark: bulk issue of attendance certificates vs one WeasyPrint render per certificate.

Usage (from the repository root)::

    .venv/bin/python benchmarks/certificates.py --count 1000 [--sample 20] [--workers 2] [--chunk-size 50]

Generates ``--count`` realistic certificates (Italian names, real course titles), issues them with
:func:`certificates.rendering.render_certificates_pdf` (the bulk path), renders ``--sample`` of the same
certificates the naive way (:func:`render_certificate_pdf`, one document each), checks that the text
pypdf extracts from both is identical, and prints the figures. The last line is machine-readable::

    certificates=1000 per_second=... naive_per_second=... ratio=... same_text=true cpu_ratio=... load1=...

``ratio`` compares wall-clock throughput (bulk with ``--workers`` processes vs naive in one process);
``cpu_ratio`` compares CPU seconds per certificate, which stays meaningful when other processes
compete for the cores (the wall-clock figures then mostly measure the neighbours).

No database is touched yet: certificate contents are built in memory. (When issuing goes through the
models, extend ``build_contents`` to read them from the DB; the rendering part stays the same.)
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import sys
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
    render_certificates_pdf,
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


def setup_django() -> str:
    """Configure Django if the project settings import (not needed for rendering; no DB access)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
    try:
        import django

        django.setup()
    except Exception as exc:  # the benchmark must keep working while the project is in flux
        return f"not configured ({type(exc).__name__}: {exc})"
    return "configured"


def quiet_weasyprint() -> None:
    """WeasyPrint logs every layout step at INFO (and a warning per font without HarfBuzz-Subset)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates to issue with the bulk path")
    parser.add_argument("--sample", type=int, default=20, help="certificates to also render the naive way")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for the bulk path")
    parser.add_argument("--chunk-size", type=int, default=50, help="certificates per WeasyPrint document")
    args = parser.parse_args(argv)

    print(f"django: {setup_django()}")
    quiet_weasyprint()
    print(f"cpus: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    contents = build_contents(args.count)
    sample = min(args.sample, args.count)

    # Warm-up outside the timings: template compilation, font discovery, imports.
    render_certificate_pdf(contents[0])

    # The machine is shared: half of the naive sample runs before the bulk run and half after, so both
    # see similar load, and CPU seconds (unaffected by other processes' load) are reported as well.
    naive: list[bytes] = []
    naive_seconds = naive_cpu = 0.0

    def run_naive(batch: list[CertificateContent]) -> None:
        nonlocal naive_seconds, naive_cpu
        wall, cpu = time.perf_counter(), time.process_time()
        naive.extend(render_certificate_pdf(content) for content in batch)
        naive_seconds += time.perf_counter() - wall
        naive_cpu += time.process_time() - cpu

    run_naive(contents[: sample // 2])
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    bulk = render_certificates_pdf(contents, chunk_size=args.chunk_size, workers=args.workers)
    bulk_seconds = time.perf_counter() - wall
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    bulk_cpu = (
        time.process_time()
        - cpu
        + (children_after.ru_utime - children_before.ru_utime)
        + (children_after.ru_stime - children_before.ru_stime)
    )
    run_naive(contents[sample // 2 : sample])

    naive_per_second = sample / naive_seconds if sample else 0.0
    per_second = len(bulk) / bulk_seconds
    total_mb = sum(len(pdf) for pdf in bulk) / 1e6
    print(
        f"naive: {sample} certificates in {naive_seconds:.2f} s ({naive_per_second:.2f}/s), "
        f"{naive_cpu / max(sample, 1) * 1000:.1f} ms CPU each"
    )
    print(
        f"bulk: {len(bulk)} certificates in {bulk_seconds:.2f} s ({per_second:.2f}/s), "
        f"{bulk_cpu / len(bulk) * 1000:.1f} ms CPU each, workers={args.workers} "
        f"chunk_size={args.chunk_size}, {total_mb:.1f} MB of PDF"
    )
    cpu_ratio = (naive_cpu / max(sample, 1)) / (bulk_cpu / len(bulk)) if sample and bulk_cpu else 0.0

    mismatches = [
        content.code
        for content, fast_pdf, naive_pdf in zip(contents, bulk, naive, strict=False)
        if normalize_whitespace(extract_text(fast_pdf)) != normalize_whitespace(extract_text(naive_pdf))
    ]
    same_text = len(bulk) == len(contents) and not mismatches
    if mismatches:
        print(f"text differs for {len(mismatches)} of {sample} sampled certificates: {mismatches[:5]}")
    ratio = per_second / naive_per_second if naive_per_second else 0.0
    print(
        f"certificates={len(bulk)} per_second={per_second:.1f} naive_per_second={naive_per_second:.2f} "
        f"ratio={ratio:.1f} same_text={'true' if same_text else 'false'} cpu_ratio={cpu_ratio:.1f} "
        f"load1={os.getloadavg()[0]:.2f}"
    )
    return 0 if same_text else 1


if __name__ == "__main__":
    sys.exit(main())
