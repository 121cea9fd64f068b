"""The course file of a funded plan: held for its period through erasure, purged after it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from academy.attendance.models import AttendanceInterval, RawAttendanceReport
from academy.core import privacy
from academy.funding import retention
from academy.funding.models import CourseFileLearner
from academy.funding.services.registers import session_register
from academy.network.models import Person
from academy.network.privacy import anonymise_person


def test_hold_runs_ten_years_after_the_plan_by_default(funded, settings):
    until = privacy.held_until(funded.course)
    assert until is not None and until.date() == funded.plan.ends_on.replace(year=funded.plan.ends_on.year + 10)
    settings.ACADEMY_COURSE_FILE_YEARS = 5
    assert privacy.held_until(funded.course).year == funded.plan.ends_on.year + 5
    funded.plan.retention_years = 12
    funded.plan.save()
    assert privacy.held_until(funded.course).year == funded.plan.ends_on.year + 12


def test_a_course_in_no_plan_is_not_held(make_course):
    assert privacy.held_until(make_course()) is None


def test_erasure_keeps_the_register_and_pseudonymises_the_rest(funded):
    RawAttendanceReport.objects.create(session=funded.session, report_id="r1", payload={
        "attendanceRecords": [{"emailAddress": funded.anna.email, "identity": {"displayName": "Anna Rossi"}}]})

    anonymise_person(funded.anna)

    anna = Person.objects.get(pk=funded.anna.pk)
    assert anna.first_name == "Anonimo" and anna.fiscal_code == ""
    row = next(r for r in session_register(funded.session).rows if r.learner.person_id == anna.pk)
    assert row.learner.full_name == "Anna Rossi" and row.learner.fiscal_code == "RSSNNA80A41H501U"
    assert row.minutes == 110 and len(row.spans) == 2
    assert funded.anna.email in str(RawAttendanceReport.objects.get().payload)  # the raw report as imported


def test_erasure_outside_a_held_course_redacts_the_raw_report(make_course, make_person):
    course = make_course()
    person = make_person(first_name="Dario", last_name="Neri")
    RawAttendanceReport.objects.create(session=course.sessions.get(), report_id="r1", payload={
        "attendanceRecords": [{"emailAddress": person.email, "identity": {"displayName": "Dario Neri"}}]})
    anonymise_person(person)
    payload = str(RawAttendanceReport.objects.get().payload)
    assert person.email not in payload and "Dario Neri" not in payload
    assert not CourseFileLearner.objects.exists()


def test_purge_after_the_period_completes_the_erasure(funded):
    RawAttendanceReport.objects.create(session=funded.session, report_id="r1", payload={"attendanceRecords": []})
    anonymise_person(funded.anna)
    later = funded.plan.retained_until + datetime.timedelta(days=1)

    assert retention.purge_course_files(timezone.now()) == 0  # still within the period
    assert CourseFileLearner.objects.exists()

    assert retention.purge_course_files(later) == 1

    assert not CourseFileLearner.objects.exists() and not RawAttendanceReport.objects.exists()
    assert privacy.held_until(funded.course, later) is None
    row = next(r for r in session_register(funded.session).rows if r.learner.person_id == funded.anna.pk)
    assert row.learner.full_name.startswith("Anonimo")
    assert AttendanceInterval.objects.filter(person=funded.bruno).exists()  # others' attendance stays
    assert retention.purge_course_files(later) == 0  # once


def test_the_course_file_keeps_no_email_of_an_erased_learner(funded):
    """Issue 23 item 9: the notice lists name, codice fiscale and organisation; the e-mail is not kept."""
    anonymise_person(funded.anna)

    kept = CourseFileLearner.objects.get(person=funded.anna)
    assert (kept.full_name, kept.fiscal_code, kept.organisation) == ("Anna Rossi", "RSSNNA80A41H501U",
                                                                     funded.anna.organisation.name)
    assert funded.anna.email not in str(list(CourseFileLearner.objects.values()))
    row = next(r for r in session_register(funded.session).rows if r.learner.person_id == funded.anna.pk)
    assert funded.anna.email != row.learner.email
