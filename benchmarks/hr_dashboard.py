"""Benchmark: the HR dashboard at 20 and 200 staff per cooperative (100 cooperatives, 20 courses).

Usage (from the repository root)::

    .venv/bin/python benchmarks/hr_dashboard.py [--coops 100] [--small 20] [--large 200] [--repeat 3]

Builds a throw-away test database (SQLite in memory by default; ``DATABASE_URL`` is respected and a
``test_...`` database is created and dropped), with two territorial consortia of ``--coops``
cooperatives each — one with ``--small`` staff per cooperative, one with ``--large`` — 20 past
courses with 1–3 sessions, realistic attendance (Teams and check-in records, most people at 1–4
courses, some below the attendance threshold) and certificates, plus two requirements. Everything is
written with ``bulk_create``.

For a cooperative's HR officer and for a consortium's HR officer it renders the dashboard view and,
for comparison, a plain listing of the same people (name, organisation, job role, in the site
layout), both through ``RequestFactory`` and the real views/templates, and prints the SQL query
counts (``CaptureQueriesContext``) and the median render times. The last line is machine-readable::

    queries_20=... queries_200=... queries_consortium_20=... queries_consortium_200=... render_ms_200=...
    listing_ms_200=... render_ratio=... render_ratio_consortium=... compliance_queries_small=...
    compliance_queries_large=... compliance_ratio=... export_s=...

``queries_N`` are the cooperative officer's dashboard queries at N staff per cooperative (they must
be equal: the count does not depend on staff numbers); ``render_ratio`` is dashboard time / plain
listing time for the cooperative officer at the large size, ``render_ratio_consortium`` the same for
the consortium officer (20,000 people at the defaults). ``compliance_*`` are the consortium officer's
dashboard after adding mandatory training (risk profiles, a supervisor mapping, designations, five
refresher courses and about five years of external mandatory training per person): query counts at the
small and large size (they must be equal) and dashboard / listing time at the large size. ``export_s`` is
the median time of the consortium officer's XLSX report (every person, every obligation) at the large size.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import os
import random
import statistics
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

FIRST = ["Giulia", "Marco", "Chiara", "Paolo", "Elena", "Luca", "Sara", "Andrea", "Anna", "Davide",
         "Francesca", "Simone", "Martina", "Stefano", "Ilaria", "Pietro", "Noemi", "Rosa", "Teresa", "Nicolò"]
LAST = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti"]
ROLES = ["Educatore", "Educatrice", "Operatore socio-sanitario", "Coordinatrice", "Infermiere",
         "Amministrazione", "Assistente sociale"]


def build(coops: int, small: int, large: int, seed: int = 7) -> dict:
    from academy.attendance.models import AttendanceRecord
    from academy.competences.models import Competence, CompetenceArea, Requirement
    from academy.courses.models import Session
    from academy.network.models import HROfficer, Organisation, Person
    from certificates.models import Certificate
    from cms import demo
    from webinars.models import WebinarPage

    rng = random.Random(seed)
    today = timezone.localdate()
    ctx = demo.DemoContext(today=today)
    demo.load_site(ctx)
    demo.load_network(ctx)
    area = CompetenceArea.objects.create(slug="conformita", name="Conformità")
    privacy = Competence.objects.create(area=area, slug="protezione-dati", name="Protezione dei dati")
    risk = Competence.objects.create(area=area, slug="rischio-clinico", name="Rischio clinico")
    area_list = list(ctx.areas.values())

    courses = []
    year_start = datetime.date(today.year, 1, 1)
    for n in range(20):
        days = max(1, (today - year_start).days)
        first_day = year_start + datetime.timedelta(days=rng.randrange(days)) - datetime.timedelta(days=365 * (n % 3 == 0))
        page = WebinarPage(title=f"Corso {n + 1}", slug=f"bench-corso-{n + 1}", hours=Decimal("3"), capacity=None)
        for k in range(1 + n % 3):
            start = demo.rome(first_day + datetime.timedelta(days=7 * k), 15)
            page.sessions.add(Session(starts_at=start, ends_at=start + datetime.timedelta(minutes=90)))
        ctx.programme.add_child(instance=page)
        page.areas.set(rng.sample(area_list, 1 + n % 2))
        page.competences.set([privacy] if n % 5 == 0 else ([risk] if n % 5 == 1 else []))
        page.save()
        page.refresh_schedule()
        courses.append((page, list(page.sessions.all())))

    national = ctx.organisations["Consorzio Nazionale CGM"]
    User = get_user_model()
    password = make_password("bench", hasher="md5") if "md5" in str(settings.PASSWORD_HASHERS) else make_password("bench")
    result = {}
    for size in (small, large):
        consortium = Organisation.objects.create(name=f"Consorzio {size}", kind="territorial", parent=national)
        orgs = Organisation.objects.bulk_create([
            Organisation(name=f"Cooperativa {size}-{i:03d}", kind="cooperative", parent=consortium,
                         participation_target=80) for i in range(coops)])
        people = Person.objects.bulk_create([
            Person(first_name=rng.choice(FIRST), last_name=rng.choice(LAST), email=f"p{size}-{i}-{j}@bench.coop",
                   organisation=org, job_role=rng.choice(ROLES), on_roster=True, email_verified=True)
            for i, org in enumerate(orgs) for j in range(size)], batch_size=2000)
        records, certificates = [], []
        for person in people:
            for page, sessions in rng.sample(courses, rng.choice((0, 1, 1, 2, 2, 3, 4))):
                attended = 0
                for session in sessions:
                    minutes = rng.choice((90, 90, 85, 60, 20))
                    attended += minutes
                    records.append(AttendanceRecord(session=session, person=person, source="teams", minutes=minutes))
                    if rng.random() < 0.2:
                        records.append(AttendanceRecord(session=session, person=person, source="checkin",
                                                        minutes=90))
                if attended >= 0.8 * 90 * len(sessions):
                    day = timezone.localtime(sessions[-1].ends_at).date()
                    certificates.append(Certificate(
                        code=f"B{size}-{len(certificates):08d}", course=page, person=person, hours=page.hours,
                        minutes_attended=attended, first_date=day, last_date=day, issued_at=sessions[-1].ends_at))
        AttendanceRecord.objects.bulk_create(records, batch_size=5000)
        Certificate.objects.bulk_create(certificates, batch_size=5000)
        Requirement.objects.create(organisation=consortium, course=courses[0][0], renewal_months=24,
                                   label="Privacy ogni 24 mesi")
        Requirement.objects.create(organisation=orgs[0], competence=risk, job_role="Infermiere", renewal_months=36,
                                   label="Rischio clinico (infermieri)")
        coop_user = User.objects.create(username=f"hr-coop-{size}", password=password)
        HROfficer.objects.create(user=coop_user, organisation=orgs[0])
        consortium_user = User.objects.create(username=f"hr-consortium-{size}", password=password)
        HROfficer.objects.create(user=consortium_user, organisation=consortium)
        result[size] = {"coop": coop_user, "consortium": consortium_user, "people": len(people),
                        "attendance": len(records), "certificates": len(certificates)}
    if connection.vendor == "postgresql":
        # A bulk load leaves the planner without statistics; autovacuum would ANALYZE such tables
        # soon after in production. Both the dashboard and the plain listing benefit alike.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return result


def add_obligations(data: dict, seed: int = 11) -> dict:
    """The compliance case: risk profiles on the consortia (inherited by their cooperatives), a job
    role mapped to supervisor, designated first aiders and fire wardens, five of the courses
    satisfying the workers' 6-hour refresher, and five years of external mandatory training."""
    from academy.competences.models import ExternalTraining
    from academy.network.models import Organisation, Person
    from academy.obligations.models import CourseModule, Designation, JobRoleMapping, Obligation, RiskProfile
    from webinars.models import WebinarPage

    rng = random.Random(seed)
    today = timezone.localdate()
    catalogue = {o.code: o for o in Obligation.objects.all()}
    for course in WebinarPage.objects.filter(slug__startswith="bench-corso-").order_by("pk")[:5]:
        CourseModule.objects.create(course=course, obligation=catalogue["workers-medium"], hours=Decimal(6),
                                    delivery_mode="videoconference")
    counts = {}
    for size in data:
        consortium = Organisation.objects.get(name=f"Consorzio {size}")
        RiskProfile.objects.create(organisation=consortium, risk_class="medium", fire_level="2", first_aid_group="B")
        JobRoleMapping.objects.create(organisation=consortium, job_role="Coordinatrice", role="supervisor")
        rows, designations = [], []
        people = Person.objects.filter(organisation__parent=consortium).values_list("pk", "job_role")
        for person_id, job_role in people:
            roll = rng.random()
            if roll < 0.05:
                designations.append(Designation(person_id=person_id, role="first_aider"))
                rows.append(ExternalTraining(person_id=person_id, obligation=catalogue["first-aid-bc"],
                                             title="Primo soccorso", date=today - datetime.timedelta(
                                                 days=rng.randrange(5 * 365)), hours=Decimal(12)))
            elif roll < 0.10:
                designations.append(Designation(person_id=person_id, role="fire_warden"))
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                rows.append(ExternalTraining(
                    person_id=person_id, obligation=catalogue["workers-medium"], title="Sicurezza lavoratori",
                    date=today - datetime.timedelta(days=rng.randrange(5 * 365)),
                    hours=Decimal(rng.choice((4, 6, 8, 12))), delivery_mode=rng.choice(
                        ("classroom", "classroom", "videoconference", "elearning"))))
            if job_role == "Coordinatrice":
                rows.append(ExternalTraining(person_id=person_id, obligation=catalogue["supervisors"],
                                             title="Preposti", date=today - datetime.timedelta(
                                                 days=rng.randrange(5 * 365)), hours=Decimal(12)))
        Designation.objects.bulk_create(designations, batch_size=5000)
        ExternalTraining.objects.bulk_create(rows, batch_size=5000)
        counts[size] = len(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def plain_listing(request):
    """The baseline: the same people, listed plainly in the site layout."""
    from academy.competences.services import people_in_scope

    people = people_in_scope(request.user).select_related("organisation").order_by("last_name", "first_name", "pk")
    return HttpResponse(LISTING.render({"people": people}, request))


LISTING = None
SHOW_SLOW_QUERIES = 0
LISTING_SOURCE = """{% extends "base.html" %}{% block content %}<table class="data"><tbody>
{% for p in people %}<tr><th scope="row">{{ p.last_name }} {{ p.first_name }}</th><td>{{ p.organisation.name }}</td>
<td>{{ p.job_role }}</td></tr>{% endfor %}</tbody></table>{% endblock %}"""


def measure(view, user, repeat: int) -> tuple[int, float]:
    factory = RequestFactory()
    timings, queries = [], 0
    for _ in range(repeat):
        request = factory.get("/it/hr/")
        request.user = copy.copy(user)  # a fresh user object per request, as the auth middleware gives
        request.session = {}
        with translation.override("it"), CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = view(request)
            if hasattr(response, "render"):
                response.render()
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    if SHOW_SLOW_QUERIES:
        for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:SHOW_SLOW_QUERIES]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
    return queries, statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coops", type=int, default=100)
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow-queries", type=int, default=0, help="print the N slowest queries of each view")
    args = parser.parse_args()

    global LISTING, SHOW_SLOW_QUERIES
    SHOW_SLOW_QUERIES = args.slow_queries
    from django.template import engines

    LISTING = engines["django"].from_string(LISTING_SOURCE)

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from academy.competences.views import dashboard, export_report

        started = time.perf_counter()
        data = build(args.coops, args.small, args.large)
        print(f"database: {connection.vendor}; built in {time.perf_counter() - started:.1f}s")
        figures = {}
        for size, info in data.items():
            print(f"{size} staff per cooperative: {info['people']} people, {info['attendance']} attendance records, "
                  f"{info['certificates']} certificates")
            for role in ("coop", "consortium"):
                q_dash, t_dash = measure(dashboard, info[role], args.repeat)
                q_list, t_list = measure(plain_listing, info[role], args.repeat)
                figures[(role, size)] = (q_dash, t_dash, q_list, t_list)
                print(f"  {role:10s} officer: dashboard {q_dash} queries {t_dash:8.1f} ms | plain listing "
                      f"{q_list} queries {t_list:8.1f} ms | ratio {t_dash / t_list:.2f}")
        small, large = args.small, args.large
        # The compliance case, measured after the figures above (which it would otherwise change):
        # the consortium officer's dashboard with obligations for 100 cooperatives x 200 workers.
        training = add_obligations(data)
        compliance = {}
        for size, info in data.items():
            q_dash, t_dash = measure(dashboard, info["consortium"], args.repeat)
            q_list, t_list = measure(plain_listing, info["consortium"], args.repeat)
            compliance[size] = (q_dash, t_dash, q_list, t_list)
            print(f"  compliance, {size} staff per cooperative ({training[size]} mandatory-training rows): "
                  f"dashboard {q_dash} queries {t_dash:8.1f} ms | plain listing {q_list} queries {t_list:8.1f} ms "
                  f"| ratio {t_dash / t_list:.2f}")
        # The consortium officer's XLSX report (staff, training and compliance sheets) at the large size.
        export_timings = []
        for _ in range(args.repeat):
            request = RequestFactory().get("/it/hr/export/report.xlsx")
            request.user = copy.copy(data[large]["consortium"])
            request.session = {}
            with translation.override("it"):
                started = time.perf_counter()
                response = export_report(request, "xlsx")
                export_timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        export_s = statistics.median(export_timings)
        print(f"  consortium XLSX export at {large} staff per cooperative: {export_s:.1f} s (median), "
              f"{len(response.content) / 1e6:.1f} MB")
        print(" ".join([
            f"queries_{small}={figures[('coop', small)][0]}", f"queries_{large}={figures[('coop', large)][0]}",
            f"queries_consortium_{small}={figures[('consortium', small)][0]}",
            f"queries_consortium_{large}={figures[('consortium', large)][0]}",
            f"render_ms_{large}={figures[('coop', large)][1]:.1f}",
            f"listing_ms_{large}={figures[('coop', large)][3]:.1f}",
            f"render_ratio={figures[('coop', large)][1] / figures[('coop', large)][3]:.2f}",
            f"render_ratio_consortium={figures[('consortium', large)][1] / figures[('consortium', large)][3]:.2f}",
            f"compliance_queries_small={compliance[small][0]}", f"compliance_queries_large={compliance[large][0]}",
            f"compliance_ratio={compliance[large][1] / compliance[large][3]:.2f}",
            f"export_s={export_s:.1f}",
        ]))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
