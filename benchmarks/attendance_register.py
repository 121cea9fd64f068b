"""Benchmark: a funded webinar's attendance register (PDF and XLSX) at two sizes.

Usage (from the repository root)::

    .venv/bin/python benchmarks/attendance_register.py [--small 100] [--large 1000] [--intervals 5]

Builds a throw-away test database (SQLite in memory by default; ``DATABASE_URL`` is respected and a
``test_...`` database is created and dropped) with one two-hour webinar in a funded plan and ``N``
confirmed registrants, each with ``--intervals`` Teams join/leave intervals (drops and rejoins, some
overlapping, the first before the start) and the minutes the rule derives from them, all written with
``bulk_create``. For both sizes it builds the session register and the plan summary
(``academy.funding.services.registers``), counting SQL queries (they must not depend on N), and renders
the register as PDF (WeasyPrint) and XLSX. The last line is machine-readable::

    learners_small=100 learners_large=1000 queries_small=... queries_large=... pdf_s=... xlsx_s=...
    pdf_s_per_1000=... xlsx_s_per_1000=... pages=...
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(REPO_ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

FIRST = ["Giulia", "Marco", "Chiara", "Paolo", "Elena", "Luca", "Sara", "Andrea", "Anna", "Davide"]
LAST = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"]


def build(n: int, intervals: int, tag: str):
    from wagtail.models import Page

    from academy.attendance.intervals import session_minutes
    from academy.attendance.models import AttendanceInterval, AttendanceRecord
    from academy.courses.models import Session
    from academy.funding.models import FundedPlan
    from academy.network.models import Organisation, Person
    from academy.registrations.models import Registration
    from webinars.models import WebinarPage

    root = Page.get_first_root_node()
    page = WebinarPage(title=f"Webinar finanziato {tag}", slug=f"webinar-finanziato-{tag}", hours=Decimal(2))
    root.add_child(instance=page)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    session = Session.objects.create(course=page, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    org = Organisation.objects.create(name=f"Cooperativa {tag}")
    people = Person.objects.bulk_create([
        Person(first_name=FIRST[i % 10], last_name=f"{LAST[(i // 10) % 10]} {i}", email=f"p{i}@{tag}.example",
               fiscal_code=f"RSSMRA80A01H{i:04d}"[:16], organisation=org) for i in range(n)])
    Registration.objects.bulk_create([Registration(course=page, person=p, status=Registration.Status.CONFIRMED)
                                      for p in people])
    rows, records = [], []
    for i, p in enumerate(people):
        spans = []
        t = -5 + i % 7
        for k in range(intervals):
            length = 15 + (i + k) % 11
            spans.append((start + datetime.timedelta(minutes=t), start + datetime.timedelta(minutes=t + length)))
            t += length + (-2 if k % 2 else 4)  # some overlap (a second device), some gaps (a drop)
        rows.extend(AttendanceInterval(session=session, person=p, source="teams", joined_at=a, left_at=b)
                    for a, b in spans)
        records.append(AttendanceRecord(session=session, person=p, source="teams",
                                        minutes=session_minutes(session, spans)))
    AttendanceInterval.objects.bulk_create(rows, batch_size=2000)
    AttendanceRecord.objects.bulk_create(records, batch_size=2000)
    plan = FundedPlan.objects.create(title=f"Piano {tag}", plan_code=f"BENCH/{tag}", responsible_name="R",
                                     starts_on=start.date(), ends_on=start.date() + datetime.timedelta(days=30))
    plan.courses.add(page)
    return plan, session


def measure(plan, session):
    from academy.funding.services import documents
    from academy.funding.services.registers import plan_summary, session_register

    with CaptureQueriesContext(connection) as ctx:
        register = session_register(session, plan)
        plan_summary(plan)
    queries = len(ctx)
    t0 = time.perf_counter()
    pdf = documents.register_pdf(register)
    t1 = time.perf_counter()
    xlsx = documents.register_xlsx(register)
    t2 = time.perf_counter()
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return queries, t1 - t0, t2 - t1, pages, len(pdf), len(xlsx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--intervals", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        figures = {}
        with translation.override("it"):
            for label, n in (("small", args.small), ("large", args.large)):
                t = time.perf_counter()
                plan, session = build(n, args.intervals, label)
                built = time.perf_counter() - t
                figures[label] = (n, *measure(plan, session))
                q, pdf_s, xlsx_s, pages, pdf_b, xlsx_b = figures[label][1:]
                print(f"{n} learners × {args.intervals} intervals (built in {built:.1f}s): {q} queries; "
                      f"PDF {pdf_s:.2f}s ({pages} pages, {pdf_b // 1024} KiB); XLSX {xlsx_s:.2f}s ({xlsx_b // 1024} KiB)")
        n, q_large, pdf_s, xlsx_s, pages, _pb, _xb = figures["large"]
        print(" ".join([
            f"learners_small={figures['small'][0]}", f"learners_large={n}",
            f"queries_small={figures['small'][1]}", f"queries_large={q_large}",
            f"pdf_s={pdf_s:.2f}", f"xlsx_s={xlsx_s:.2f}",
            f"pdf_s_per_1000={pdf_s * 1000 / n:.2f}", f"xlsx_s_per_1000={xlsx_s * 1000 / n:.2f}", f"pages={pages}",
        ]))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
