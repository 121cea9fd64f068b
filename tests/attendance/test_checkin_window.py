"""Check-in is accepted only around the session (60 minutes before its start to its end by default)."""

from __future__ import annotations

import datetime

import pytest

from academy.attendance import services
from academy.attendance.models import AttendanceRecord
from academy.attendance.services import AttendanceError

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_person(settings, make_course, make_person, make_user, register):
    settings.CHECKIN_OPENS_MINUTES_BEFORE, settings.CHECKIN_CLOSES_MINUTES_AFTER = 60, 0
    course = make_course(days=(30,), minutes=120, mode="in_person")
    person = make_person()
    register(course, person)
    return course.sessions.get(), person, make_user("staffer-window", staff=True)


@pytest.mark.parametrize("offset_minutes, accepted", [
    (-30 * 24 * 60, False),  # a month ahead
    (-61, False),
    (-60, True),
    (0, True),
    (120, True),  # the end
    (121, False),
])
def test_checkin_only_within_the_window(in_person, offset_minutes, accepted):
    session, person, staff = in_person
    now = session.starts_at + datetime.timedelta(minutes=offset_minutes)
    if accepted:
        services.check_in(session, person, by=staff, now=now)
        assert AttendanceRecord.objects.filter(session=session, person=person).exists()
    else:
        with pytest.raises(AttendanceError):
            services.check_in(session, person, by=staff, now=now)
        assert not AttendanceRecord.objects.exists()


def test_the_window_is_configurable(in_person, settings):
    session, person, staff = in_person
    settings.CHECKIN_CLOSES_MINUTES_AFTER = 30
    services.check_in(session, person, by=staff, now=session.ends_at + datetime.timedelta(minutes=30))
    assert AttendanceRecord.objects.filter(session=session, person=person).exists()
