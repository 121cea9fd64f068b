"""Mandatory training through the HR dashboard, records and export: the catalogue shipped by the
migration, risk profiles, job-role mappings and designations, Academy courses and external training."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from academy.competences.mandatory import COMPLIANT, DUE, LAPSED, OVERDUE
from academy.competences.models import ExternalTraining
from academy.competences.resources import staff_report
from academy.competences.services import Period, build_dashboard, training_records
from academy.network.models import Person
from academy.obligations.models import (
    CourseModule,
    Designation,
    JobRoleMapping,
    Obligation,
    RiskProfile,
)
from academy.obligations.rules import add_months

TODAY = timezone.localdate()
PERIOD = Period(TODAY - datetime.timedelta(days=365), TODAY)


def years_ago(years: int, days: int = 0) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=days)


def external(person, code: str, on: datetime.date, hours, mode="classroom") -> ExternalTraining:
    return ExternalTraining.objects.create(person=person, obligation=Obligation.objects.get(code=code),
                                           title="Corso esterno", date=on, hours=Decimal(str(hours)),
                                           delivery_mode=mode)


@pytest.mark.django_db
def test_catalogue_is_shipped_with_a_legal_reference_for_every_obligation():
    catalogue = {o.code: o for o in Obligation.objects.all()}
    assert {"workers-low", "workers-medium", "workers-high", "supervisors", "managers", "employers", "rspp",
            "aspp", "fire-1", "fire-2", "fire-3", "first-aid-a", "first-aid-bc", "ecm"} <= set(catalogue)
    assert all(o.legal_reference for o in catalogue.values())
    supervisors = catalogue["supervisors"]
    assert (supervisors.initial_hours, supervisors.refresher_hours, supervisors.window_months) == (12, 6, 24)
    assert not supervisors.allow_elearning and supervisors.allow_videoconference
    assert (catalogue["workers-high"].initial_hours, catalogue["workers-high"].refresher_hours) == (16, 6)
    assert catalogue["ecm"].initial_hours == 150 and catalogue["ecm"].is_ecm


@pytest.fixture
def staff(site, make_person, make_course, certify, member_org):
    RiskProfile.objects.create(organisation=member_org, risk_class="medium", first_aid_group="B")
    JobRoleMapping.objects.create(organisation=member_org.parent, job_role="Coordinatrice", role="supervisor")
    refresher = make_course(days=(-3,), minutes=360, title="Aggiornamento lavoratori 6 ore")
    CourseModule.objects.create(course=refresher, obligation=Obligation.objects.get(code="workers-medium"),
                                title="Aggiornamento", hours=6, delivery_mode="videoconference")
    compliant = make_person(last_name="Alfa", job_role="OSS")
    external(compliant, "workers-medium", years_ago(5, 30), 12)
    certify(compliant, refresher, on=TODAY - datetime.timedelta(days=3))
    due = make_person(last_name="Beta", job_role="OSS")
    external(due, "workers-medium", years_ago(5) + datetime.timedelta(days=40), 8)
    external(due, "workers-medium", years_ago(5) + datetime.timedelta(days=41), 4)
    overdue = make_person(last_name="Gamma", job_role="OSS")
    supervisor = make_person(last_name="Delta", job_role="coordinatrice")
    external(supervisor, "workers-medium", years_ago(1), 12)
    # trained over two years before the 2025 Agreement: refresher due by 19/05/2026 (Part VII; FAQ 2026 q. 37)
    external(supervisor, "supervisors", years_ago(4), 12)
    external(supervisor, "supervisors", years_ago(1), 6, mode="elearning")
    first_aider = make_person(last_name="Epsilon", job_role="OSS")
    Designation.objects.create(person=first_aider, role="first_aider")
    external(first_aider, "workers-medium", years_ago(2), 12)
    external(first_aider, "first-aid-bc", years_ago(1), 12)
    return {"compliant": compliant, "due": due, "overdue": overdue, "supervisor": supervisor,
            "first_aider": first_aider, "org": member_org}


def statuses(row) -> dict[str, str]:
    return {o.obligation.code: o.status for o in row.obligations}


def test_dashboard_shows_each_person_and_each_obligation(staff):
    people = Person.objects.filter(organisation=staff["org"]).order_by("last_name")
    board = build_dashboard(people, PERIOD)
    rows = {r.last_name: r for r in board.people}
    assert statuses(rows["Alfa"]) == {"workers-medium": COMPLIANT}
    assert rows["Alfa"].obligations[0].deadline == add_months(TODAY - datetime.timedelta(days=3), 60)
    beta = rows["Beta"].obligations[0]
    assert (beta.status, beta.missing) == (DUE, Decimal(6))
    assert beta.deadline == add_months(years_ago(5) + datetime.timedelta(days=41), 60)
    assert statuses(rows["Gamma"]) == {"workers-medium": OVERDUE}
    assert rows["Gamma"].status == OVERDUE
    # e-learning does not count for supervisors: the two-year window ran out
    assert statuses(rows["Delta"]) == {"workers-medium": COMPLIANT, "supervisors": LAPSED}
    assert statuses(rows["Epsilon"]) == {"workers-medium": COMPLIANT, "first-aid-bc": COMPLIANT}
    codes = dict(Obligation.objects.values_list("pk", "code"))
    summary = {codes[s.pk]: s for s in board.obligations if s.is_obligation}
    medium = summary["workers-medium"]
    assert (medium.people, medium.compliant, medium.due, medium.overdue) == (5, 3, 1, 1)
    assert medium.missing == Decimal(6 + 12)
    assert summary["supervisors"].lapsed == 1


def test_the_refresher_course_certificate_turns_a_due_worker_compliant(staff, certify):
    course = CourseModule.objects.get().course
    people = Person.objects.filter(pk=staff["due"].pk)
    assert build_dashboard(people, PERIOD).people[0].obligations[0].status == DUE
    certify(staff["due"], course, on=TODAY - datetime.timedelta(days=1))
    result = build_dashboard(people, PERIOD).people[0].obligations[0]
    assert (result.status, result.last_done) == (COMPLIANT, TODAY - datetime.timedelta(days=1))


def test_records_and_export_carry_the_obligations(staff):
    records = training_records(Person.objects.filter(organisation=staff["org"]).order_by("last_name"), PERIOD)
    by_name = {r.person.last_name: r for r in records.values()}
    assert {o.obligation.code: o.status for o in by_name["Delta"].obligations}["supervisors"] == LAPSED
    with translation.override("en"):
        book = staff_report(records, PERIOD)
    sheet = book.sheets()[2]
    rows = [dict(zip(sheet.headers, row, strict=True)) for row in sheet]
    assert len(rows) == 7
    gamma = next(r for r in rows if r["Last name"] == "Gamma")
    assert gamma["Status"] == "Overdue" and gamma["Missing"] == 12.0


def test_dashboard_queries_do_not_grow_with_people(staff, make_person, site):
    org = staff["org"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            build_dashboard(Person.objects.filter(organisation=org).order_by("pk"), PERIOD)
        return len(ctx.captured_queries)

    small = count()
    for n in range(8):
        person = make_person(job_role="OSS")
        external(person, "workers-medium", years_ago(1, n), 12)
        Designation.objects.create(person=person, role="fire_warden")
    assert count() == small


def test_organisations_without_legal_roles_pay_no_credit_queries(site, make_person, member_org,
                                                                  django_assert_num_queries):
    """Until an officer sets a risk profile, maps a job role or designates someone, no obligation applies
    to anybody in scope: profiles, mappings and designations are read, nothing else."""
    import datetime as _dt

    from academy.competences.mandatory import ObligationStatuses
    from academy.obligations.models import RiskProfile

    person = make_person(org=member_org)
    chains = {member_org.pk: member_org.chain}
    with django_assert_num_queries(3):
        statuses = ObligationStatuses(chains, [person.pk], today=_dt.date(2026, 5, 1))
    assert statuses.for_person(person.pk, member_org.pk, person.job_role) == []
    RiskProfile.objects.create(organisation=member_org, risk_class="low")  # everyone is a worker by default
    statuses = ObligationStatuses(chains, [person.pk], today=_dt.date(2026, 5, 1))
    assert statuses.for_person(person.pk, member_org.pk, person.job_role)
