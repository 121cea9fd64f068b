from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from academy.attendance.services import record_minutes
from academy.registrations.models import Registration


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://academy.example.coop"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register():
    def factory(course, person, status=Registration.Status.CONFIRMED) -> Registration:
        return Registration.objects.create(course=course.canonical, person=person, status=status)

    return factory


@pytest.fixture
def attend():
    """``attend(course, person, 50, 46)``: minutes per session, in time order, from Teams."""

    def factory(course, person, *minutes: int, source: str = "teams") -> None:
        for session, value in zip(course.sessions.order_by("starts_at"), minutes, strict=False):
            record_minutes(session, person, value, source)

    return factory


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(username="staff", email="staff@example.org",
                                                password="pw-12345!", is_staff=True)


@pytest.fixture
def past_course(make_course):
    """A finished webinar of 90 planned minutes (1.5 hours), 80 % threshold (72 minutes), hours rounded
    down to 0.5."""

    def factory(**kwargs):
        kwargs.setdefault("days", (-3,))
        kwargs.setdefault("minutes", 90)
        return make_course(**kwargs)

    return factory
