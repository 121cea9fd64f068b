"""THE rule from join/leave intervals to minutes, check-in and check-out."""

from __future__ import annotations

import datetime

import pytest

from academy.attendance import services
from academy.attendance.intervals import merged_spans, minutes_from_intervals
from academy.attendance.models import AttendanceInterval

START = datetime.datetime(2026, 3, 2, 14, 0, tzinfo=datetime.UTC)
END = START + datetime.timedelta(minutes=120)


def at(minutes: float) -> datetime.datetime:
    return START + datetime.timedelta(minutes=minutes)


def test_overlapping_intervals_count_once():
    # A laptop and a phone connected at the same time.
    assert minutes_from_intervals([(at(0), at(60)), (at(30), at(90))], START, END) == 90


def test_rejoin_after_a_drop_counts_both_spans_but_not_the_gap():
    spans = [(at(0), at(40)), (at(55), at(100))]
    assert minutes_from_intervals(spans, START, END) == 85
    assert merged_spans(spans, START, END) == [(at(0), at(40)), (at(55), at(100))]


def test_touching_intervals_merge_into_one():
    assert merged_spans([(at(10), at(20)), (at(20), at(30))], START, END) == [(at(10), at(30))]


def test_a_leave_after_the_session_end_and_a_join_before_the_start_are_clipped():
    assert minutes_from_intervals([(at(-30), at(10)), (at(100), at(200))], START, END) == 30


def test_intervals_wholly_outside_the_session_count_nothing():
    assert minutes_from_intervals([(at(-60), at(-5)), (at(121), at(180))], START, END) == 0


def test_seconds_are_summed_before_flooring_to_minutes():
    half = datetime.timedelta(seconds=30)
    assert minutes_from_intervals([(at(0), at(10) + half), (at(20), at(30) + half)], START, END) == 21


def test_an_open_interval_counts_up_to_now_or_the_end():
    assert minutes_from_intervals([(at(10), None)], START, END, now=at(50)) == 40
    assert minutes_from_intervals([(at(10), None)], START, END, now=at(500)) == 110


@pytest.fixture
def in_person(make_course, make_person, register, trainer_of):
    course = make_course(kind="masterclass", days=(0,), minutes=120, mode="in_person")
    session = course.sessions.get()
    person = make_person()
    register(course, person)
    return session, person, trainer_of(course)


def test_check_in_opens_an_interval_and_check_out_closes_it(in_person):
    session, person, trainer = in_person
    services.check_in(session, person, by=trainer, now=session.starts_at + datetime.timedelta(minutes=5))
    interval = AttendanceInterval.objects.get(session=session, person=person)
    assert interval.left_at is None and interval.source == "checkin"
    assert services.minutes_for(person, session) == 120  # check-in alone: the planned minutes, as before

    record = services.check_out(session, person, by=trainer, now=session.starts_at + datetime.timedelta(minutes=65))

    assert record.minutes == 60
    assert services.minutes_for(person, session) == 60
    with pytest.raises(services.AttendanceError):
        services.check_out(session, person, by=trainer, now=session.ends_at)


def test_check_in_again_after_a_break_adds_a_second_interval(in_person):
    session, person, trainer = in_person
    services.check_in(session, person, by=trainer, now=session.starts_at)
    services.check_out(session, person, by=trainer, now=session.starts_at + datetime.timedelta(minutes=50))
    services.check_in(session, person, by=trainer, now=session.starts_at + datetime.timedelta(minutes=70))
    services.check_out(session, person, by=trainer, now=session.ends_at + datetime.timedelta(minutes=30))

    assert AttendanceInterval.objects.filter(session=session, person=person).count() == 2
    assert services.minutes_for(person, session) == 100  # 50 + 50, the stay after the end not counted


def test_check_out_is_refused_to_others(in_person, make_user):
    session, person, trainer = in_person
    services.check_in(session, person, by=trainer, now=session.starts_at)
    with pytest.raises(services.AttendanceError):
        services.check_out(session, person, by=make_user("nobody"), now=session.ends_at)
