"""Requirement status: renewal boundary days, external training, competences, roles, inheritance."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academy.competences.models import Requirement
from academy.competences.services import (
    COMPLIANT,
    DUE,
    LAPSED,
    OVERDUE,
    Period,
    training_record,
    training_records,
)
from academy.network.models import Person
from academy.obligations.rules import add_months
from certificates.models import Certificate

DONE = datetime.date(2024, 3, 15)
EXPIRES = datetime.date(2026, 3, 15)  # DONE + 24 months


@pytest.fixture
def setup(site, member_org, make_course, make_person, certify, privacy):
    course = make_course(days=(-800,), areas=("sistemi-gestione",), english=True)
    course.competences.set([privacy])
    course.save()  # a ParentalManyToManyField is written on save
    person = make_person(org=member_org, job_role="Educatore")
    requirement = Requirement.objects.create(organisation=member_org, course=course, renewal_months=24,
                                             label="Privacy ogni 24 mesi")
    return course, person, requirement


def status_on(person, day, days=60):
    return training_record(person, today=day, due_days=days).requirements[0]


def test_add_months_clamps_to_month_end():
    assert add_months(datetime.date(2024, 3, 15), 24) == EXPIRES
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)


def test_renewal_boundary_days(setup, certify):
    course, person, _ = setup
    certify(person, course, on=DONE)
    window_start = EXPIRES - datetime.timedelta(days=60)
    assert status_on(person, window_start - datetime.timedelta(days=1)).status == COMPLIANT
    assert status_on(person, window_start).status == DUE
    assert status_on(person, EXPIRES - datetime.timedelta(days=1)).status == DUE
    on_expiry = status_on(person, EXPIRES)
    assert on_expiry.status == DUE and on_expiry.deadline == EXPIRES
    after = status_on(person, EXPIRES + datetime.timedelta(days=1))
    assert after.status == LAPSED and after.last_done == DONE
    # A different window length moves the first "due" day.
    assert status_on(person, EXPIRES - datetime.timedelta(days=11), days=10).status == COMPLIANT
    assert status_on(person, EXPIRES - datetime.timedelta(days=10), days=10).status == DUE


def test_missing_without_training_and_latest_training_counts(setup, certify, external):
    course, person, requirement = setup
    assert status_on(person, DONE).status == OVERDUE
    certify(person, course, on=DONE)
    # A later external training recognised as the same course renews it.
    external(person, on=datetime.date(2025, 9, 1), equivalent_course=course)
    status = status_on(person, datetime.date(2026, 6, 1))
    assert status.status == COMPLIANT and status.last_done == datetime.date(2025, 9, 1)


def test_revoked_certificate_does_not_count(setup, certify):
    course, person, _ = setup
    certify(person, course, on=DONE, status=Certificate.Status.REVOKED)
    assert status_on(person, DONE + datetime.timedelta(days=1)).status == OVERDUE


def test_requirement_on_translation_resolves_to_canonical(setup, certify, member_org, site):
    course, person, requirement = setup
    english = course.get_translation(site.en)
    requirement.delete()
    req = Requirement.objects.create(organisation=member_org, course_id=english.pk, label="Privacy (EN)")
    assert req.course_id == course.pk
    certify(person, course, on=DONE)
    assert status_on(person, DONE).status == COMPLIANT


def test_once_only_requirement_never_expires(setup, certify):
    course, person, requirement = setup
    requirement.renewal_months = None
    requirement.save()
    certify(person, course, on=DONE)
    status = status_on(person, DONE + datetime.timedelta(days=3650))
    assert status.status == COMPLIANT and status.deadline is None


def test_competence_requirement_counts_courses_and_external_training(
        site, member_org, make_course, make_person, certify, external, privacy):
    person, other = make_person(org=member_org), make_person(org=member_org)
    Requirement.objects.create(organisation=member_org, competence=privacy, renewal_months=12,
                               label="Protezione dati")
    external(person, on=DONE, competences=[privacy])
    external(other, on=DONE)  # no competence: does not count
    day = DONE + datetime.timedelta(days=30)
    assert status_on(person, day).status == COMPLIANT
    assert status_on(other, day).status == OVERDUE
    course = make_course(days=(-5,))
    course.competences.set([privacy])
    course.save()  # a ParentalManyToManyField is written on save
    certify(other, course, on=DONE)
    assert status_on(other, day).status == COMPLIANT


def test_job_role_and_consortium_requirements(site, member_org, make_course, make_person, privacy):
    educator = make_person(org=member_org, job_role="educatore")
    cook = make_person(org=member_org, job_role="Cuoco")
    Requirement.objects.create(organisation=member_org, competence=privacy, job_role="Educatore",
                               label="Solo educatori")
    consortium = member_org.parent
    Requirement.objects.create(organisation=consortium, competence=privacy, label="Da consorzio")
    Requirement.objects.create(organisation=consortium.parent, competence=privacy, label="Da nazionale")
    other_org = site.organisations["Stripes Cooperativa Sociale"]
    Requirement.objects.create(organisation=other_org, competence=privacy, label="Altra coop")
    labels = lambda p: sorted(r.title for r in training_record(p).requirements)  # noqa: E731
    assert labels(educator) == ["Da consorzio", "Da nazionale", "Solo educatori"]
    assert labels(cook) == ["Da consorzio", "Da nazionale"]
    assert training_record(cook).status == OVERDUE


def test_future_training_and_period_hours(setup, certify, external):
    course, person, _ = setup
    certify(person, course, on=datetime.date(2025, 5, 1), hours="1.5")
    external(person, on=datetime.date(2024, 5, 1), hours="3")
    record = training_record(person, Period.year(2025), today=datetime.date(2025, 6, 1))
    assert str(record.hours) == "1.50"
    assert str(record.total_hours) == "4.50"
    # Training dated after "today" does not satisfy a requirement yet.
    assert training_record(person, today=datetime.date(2025, 4, 30)).status == OVERDUE


def test_bulk_records_use_a_fixed_number_of_queries(setup, certify, external, make_person, member_org, privacy):
    course, person, _ = setup

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            records = training_records(Person.objects.filter(organisation=member_org), today=DONE)
        assert len(records) == Person.objects.filter(organisation=member_org).count()
        return len(ctx.captured_queries)

    certify(person, course, on=DONE)
    few = count()
    for _ in range(6):
        someone = make_person(org=member_org)
        certify(someone, course, on=DONE)
        external(someone, on=DONE, competences=[privacy])
    assert count() == few
