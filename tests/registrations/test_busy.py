"""Registering while someone else holds the course (its advisory lock or the registrations table)
answers with the documented "busy" message, quickly, instead of an error page."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from academy.core import locking
from academy.registrations.models import Registration

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="needs PostgreSQL"),
              pytest.mark.django_db(transaction=True)]


def _other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params)


@pytest.fixture
def short_lock_timeout(monkeypatch):
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 300)


def _register(client, course):
    started = time.monotonic()
    response = client.post(reverse("registrations:register", args=[course.pk]), {"consent": "v"},
                           HTTP_ACCEPT="application/json")
    return response, time.monotonic() - started


@pytest.mark.parametrize("hold", ["advisory lock", "table write lock"])
def test_registering_while_the_course_is_held_answers_busy_quickly(client, make_course, make_person,
                                                                  short_lock_timeout, hold):
    course = make_course(capacity=10)
    person = make_person()
    client.force_login(person.user)
    other = _other_connection()
    try:
        with other.transaction():
            if hold == "advisory lock":
                other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [locking.COURSE, course.pk])
            else:
                other.execute(f"LOCK TABLE {Registration._meta.db_table} IN EXCLUSIVE MODE")
            response, elapsed = _register(client, course)
    finally:
        other.close()
    assert response.status_code == 429
    assert response.json()["code"] == "Busy"
    assert elapsed < 3
    assert not Registration.objects.filter(person=person).exists()
    response, _ = _register(client, course)  # once released, the same request goes through
    assert response.status_code == 201


def test_the_page_form_shows_the_busy_message(client, make_course, make_person, short_lock_timeout):
    course = make_course(capacity=10)
    person = make_person()
    client.force_login(person.user)
    other = _other_connection()
    try:
        with other.transaction():
            other.execute(f"LOCK TABLE {Registration._meta.db_table} IN EXCLUSIVE MODE")
            response = client.post(reverse("registrations:register", args=[course.pk]), {"consent": "v"},
                                   follow=True)
    finally:
        other.close()
    assert response.status_code == 200
    assert "riprova" in response.content.decode().lower() or "try again" in response.content.decode().lower()
