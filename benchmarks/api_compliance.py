"""Benchmark: an HR system walks every compliance answer of a consortium through the API.

Usage (from the repository root)::

    .venv/bin/python benchmarks/api_compliance.py [--coops 100] [--workers 200] [--limit 500]

Builds a throw-away test database (SQLite in memory by default; ``DATABASE_URL`` is respected and a
``test_...`` database is created and dropped) with the data of ``benchmarks/hr_dashboard.py``: a
consortium of ``--coops`` cooperatives × ``--workers`` workers (plus the small consortium that script
always builds, outside this officer's scope), 20 past courses with attendance and certificates, risk
profiles, designations and about five years of external mandatory training per person
(``hr_dashboard.build`` and ``add_obligations``).

Staff issue an organisation token (read) of the consortium to its HR officer. With that token the
benchmark pages through ``GET /api/v1/hr/compliance/?limit=<limit>`` until ``next`` is null, through
the **DRF test client** (``rest_framework.test.APIClient``: the whole Django and DRF stack, in process,
without a socket), counting the SQL queries of each page (``CaptureQueriesContext``). Then it times the
consortium officer's XLSX report of the same people (``academy.competences.views.export_report``,
through ``RequestFactory``). The token's ``last_used_at`` is written at most once a minute, so one page
a minute may count one query more; the min and max show it.

Last line::

    people=... pages=... queries_per_page_min=... queries_per_page_max=... walk_s=... export_s=... ratio=...

``ratio`` is walk_s / export_s (goal: at most 2).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(REPO_ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hr_dashboard  # noqa: E402


def walk(secret: str, limit: int) -> tuple[int, list[int], float]:
    """Every page of the compliance answers; returns people seen, queries per page and seconds."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url, params = "/api/v1/hr/compliance/", {"limit": limit, "offset": 0}
    seen, queries = 0, []
    started = time.perf_counter()
    while True:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        seen += len(body["results"])
        queries.append(len(ctx.captured_queries))
        if not body["next"]:
            break
        params["offset"] += limit
    return seen, queries, time.perf_counter() - started


def export(user) -> tuple[float, int]:
    from academy.competences.views import export_report

    request = RequestFactory().get("/it/hr/export/report.xlsx")
    request.user = copy.copy(user)
    request.session = {}
    with translation.override("it"):
        started = time.perf_counter()
        response = export_report(request, "xlsx")
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coops", type=int, default=100)
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--limit", type=int, default=500, help="people per page (the API's maximum is 500)")
    args = parser.parse_args()

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "token": "100000/minute", "anon": "100000/minute"}}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from rest_framework.settings import api_settings

        from academy.api import tokens
        from academy.network.models import Organisation

        api_settings.reload()
        started = time.perf_counter()
        small = 1 if args.workers != 1 else 2
        data = hr_dashboard.build(args.coops, small, args.workers)
        training = hr_dashboard.add_obligations(data)
        officer = data[args.workers]["consortium"]
        consortium = Organisation.objects.get(name=f"Consorzio {args.workers}")
        staff = get_user_model().objects.create(username="bench-staff", is_staff=True, is_superuser=True)
        _token, secret = tokens.issue_organisation_token(by=staff, officer=officer, organisation=consortium,
                                                         name="HR system")
        people = data[args.workers]["people"]
        print(f"database: {connection.vendor}; built in {time.perf_counter() - started:.1f}s; {people} people in "
              f"the consortium, {data[args.workers]['certificates']} certificates, {training[args.workers]} "
              f"external training rows; load average {os.getloadavg()[0]:.1f}")

        seen, queries, walk_s = walk(secret, args.limit)
        assert seen == people, (seen, people)
        print(f"  walk: {len(queries)} pages of {args.limit}, {seen} people, queries per page {min(queries)}–"
              f"{max(queries)} (by page: {' '.join(map(str, queries))}), {walk_s:.1f} s")
        export_s, size = export(officer)
        print(f"  XLSX export of the same people: {export_s:.1f} s, {size / 1e6:.1f} MB; "
              f"load average {os.getloadavg()[0]:.1f}")
        print(" ".join([f"people={seen}", f"pages={len(queries)}", f"queries_per_page_min={min(queries)}",
                        f"queries_per_page_max={max(queries)}", f"walk_s={walk_s:.1f}", f"export_s={export_s:.1f}",
                        f"ratio={walk_s / export_s:.2f}"]))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
