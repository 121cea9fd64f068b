"""Shared fixtures: a site with both locales, the programme page, areas, organisations, and
factories for courses and people. Tests build on these instead of re-creating the tree."""

from __future__ import annotations

import datetime
import itertools
import os
import uuid
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from academy.courses.models import CoursePage, Session
from academy.network.models import Organisation, Person
from cms import demo
from masterclass.models import MasterclassPage
from webinars.models import WebinarPage

_counter = itertools.count(1)

# Redis for the tests that need a real one; every key they write is under a namespace of this run and
# xdist worker (REDIS_KEY_PREFIX), so a running instance on the same Redis never meets them.
TEST_REDIS_URL = os.environ.get("ACADEMY_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(autouse=True, scope="session")
def _own_redis_namespace():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # set by pytest-xdist in each worker
    with override_settings(REDIS_KEY_PREFIX=f"academy-test-{uuid.uuid4().hex[:8]}-{worker}"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Abuse limits are off unless a test turns them on (tests/security/test_abuse_limits.py): the test
    # client's login() passes no request, which django-axes refuses, and every test shares one address.
    settings.AXES_ENABLED = False
    # The second-factor gate likewise, unless a test is about it (tests/network/test_second_factor.py and
    # the URL sweep turn it on and give the roles a second factor).
    settings.ACADEMY_SECOND_FACTOR_ENFORCED = False
    settings.ACCOUNTS_RATE_LIMITS = {key: "10000/h" for key in settings.ACCOUNTS_RATE_LIMITS}


@pytest.fixture(autouse=True)
def _checkin_any_time_today(settings):
    """Tests check people in for today's 15:00 session whatever the clock says; the window itself is
    tested with its real settings in tests/attendance/test_checkin_window.py."""
    settings.CHECKIN_OPENS_MINUTES_BEFORE = settings.CHECKIN_CLOSES_MINUTES_AFTER = 24 * 60


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Italian: a request to an /en/ page leaves English active in the thread, and
    the next test on the same worker would otherwise see English labels."""
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def site(db):
    """Locales it/en, home and programme pages (both languages), areas, trainers, organisations."""
    ctx = demo.DemoContext(today=timezone.localdate())
    demo.load_site(ctx)
    demo.load_network(ctx)
    return ctx


@pytest.fixture
def member_org(site) -> Organisation:
    return site.organisations["Cooperativa Gruppo Gamma"]


def rome(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return demo.rome(day, hour, minute)


@pytest.fixture
def make_course(site):
    """Create a live course with sessions; returns the Italian (canonical) page.

    ``days`` lists session day offsets from today; each session lasts ``minutes`` from 15:00.
    ``english=True`` also creates and publishes the English translation.
    """

    def factory(*, kind: str = "webinar", title: str | None = None, days=(7,), minutes: int = 90,
                capacity: int | None = 100, areas=("educazione",), english: bool = False,
                mode: str = "online", **fields) -> CoursePage:
        n = next(_counter)
        model = WebinarPage if kind == "webinar" else MasterclassPage
        page = model(title=title or f"Corso di prova {n}", slug=f"corso-{n}", capacity=capacity,
                     hours=Decimal(minutes * len(days)) / 60, **fields)
        for offset in days:
            day = timezone.localdate() + datetime.timedelta(days=offset)
            start = rome(day, 15)
            page.sessions.add(Session(starts_at=start, ends_at=start + datetime.timedelta(minutes=minutes),
                                      mode=mode))
        site.programme.add_child(instance=page)
        page.areas.set([site.areas[a] for a in areas])
        demo.publish(page)
        if english:
            demo.translate(page, site.en, title=f"Test course {n}", slug=f"corso-{n}")
        page.refresh_schedule()
        return page

    return factory


@pytest.fixture
def make_person(site):
    def factory(*, org: Organisation | None = None, email: str | None = None, user: bool = True,
                verified: bool = True, **fields) -> Person:
        n = next(_counter)
        org = org if org is not None else site.organisations["Cooperativa Gruppo Gamma"]
        domain = org.domains[0] if org and org.domains else "example.org"
        email = email or f"persona{n}@{domain}"
        account = None
        if user:
            from django.contrib.auth import get_user_model

            account = get_user_model().objects.create_user(username=email, email=email, password="pw-12345!")
        return Person.objects.create(user=account, first_name=fields.pop("first_name", f"Nome{n}"),
                                     last_name=fields.pop("last_name", f"Cognome{n}"), email=email,
                                     organisation=org, email_verified=verified, **fields)

    return factory
