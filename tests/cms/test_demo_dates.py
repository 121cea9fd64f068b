"""Issue 27: demo courses never fall on a Sunday or an Italian public holiday."""

from __future__ import annotations

import datetime

import pytest

from cms.demo.base import course_day, easter, is_day_off


def test_easter_dates():
    assert [easter(y) for y in (2024, 2025, 2026, 2027)] == [
        datetime.date(2024, 3, 31), datetime.date(2025, 4, 20), datetime.date(2026, 4, 5), datetime.date(2027, 3, 28)]


@pytest.mark.parametrize("day", ["2026-12-25", "2026-12-26", "2026-12-27", "2027-01-01", "2027-01-06",
                                 "2026-04-06", "2026-04-25", "2026-06-02", "2026-08-15", "2026-10-04"])
def test_days_off(day):
    assert is_day_off(datetime.date.fromisoformat(day))


def test_working_days_are_kept():
    assert not is_day_off(datetime.date(2026, 12, 28))  # a Monday
    assert course_day(datetime.date(2026, 12, 21), 3) == datetime.date(2026, 12, 24)


def test_course_days_move_away_from_today():
    # 19/12/2026 + 7 = Saturday 26 December (St Stephen): forward to Monday 28th
    assert course_day(datetime.date(2026, 12, 19), 7) == datetime.date(2026, 12, 28)
    # 28/12/2026 - 1 = Sunday 27th, then St Stephen and Christmas: back to Thursday 24th, still past
    assert course_day(datetime.date(2026, 12, 28), -1) == datetime.date(2026, 12, 24)


@pytest.mark.django_db
def test_demo_sessions_avoid_days_off():
    from django.utils import timezone

    from academy.courses.models import Session
    from cms import demo

    demo.load_all(today=datetime.date(2026, 12, 5))  # +21 days is 26 December
    days = {timezone.localtime(s.starts_at).date() for s in Session.objects.all()}
    assert days and not [d for d in days if is_day_off(d)]
