"""Successful-login records (django-axes ``AccessLog``: username, IP address, browser) go with the person's
erasure and are purged after ``ACADEMY_LOGIN_LOG_DAYS`` (issue 23 item 5)."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessLog
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from academy.core.periodic import run_periodic
from academy.network.privacy import anonymise_person, export_person_data

from .test_erasure_dump import _database_hits

IP = "203.0.113.77"
BROWSER = "Mozilla/5.0 (X11; Linux) AcademyTestBrowser/1.0"


@pytest.fixture
def logged_in(settings, client, make_person):
    cache.clear()
    settings.AXES_ENABLED = True
    person = make_person(email="lucia.accessi@gruppogamma.coop", first_name="Lucia", last_name="Accessi")
    response = client.post(reverse("accounts:login"), {"username": person.email, "password": "pw-12345!"},
                           REMOTE_ADDR=IP, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302 and AccessLog.objects.filter(username=person.email).exists()
    return person


def test_login_records_are_in_the_export_and_gone_after_erasure(logged_in, admin_user):
    person = logged_in
    exported = export_person_data(person)
    assert any(r["ip_address"] == IP for r in exported["login_records"])

    anonymise_person(person, by=admin_user)

    hits = _database_hits(["lucia.accessi@gruppogamma.coop", IP, "academytestbrowser"])
    assert hits == {}, hits
    assert not AccessLog.objects.exists()


def test_login_records_are_purged_after_the_stated_period(logged_in, settings):
    settings.ACADEMY_LOGIN_LOG_DAYS = 90
    AccessLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=91))
    recent = AccessLog.objects.create(username="someone@example.org", ip_address="198.51.100.1",
                                      user_agent="x", attempt_time=timezone.now())

    run_periodic(timezone.now())

    assert list(AccessLog.objects.all()) == [recent]
