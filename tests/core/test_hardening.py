"""Hardening settings: refused requests are logged on one line, and PostgreSQL cancels runaway queries."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection, transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_403_outside_the_admin_is_logged_on_one_line(client, make_course, make_person, caplog):
    course = make_course()
    session = course.sessions.get()
    client.force_login(make_person().user)  # neither trainer nor staff
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("attendance:session_checkin", args=[session.pk]))
    assert response.status_code == 403
    forbidden = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert len(forbidden) == 1 and forbidden[0].exc_info is None
    assert "Traceback" not in caplog.text and "Forbidden" in caplog.text


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="needs PostgreSQL")
def test_postgres_cancels_a_statement_that_runs_too_long():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
    with pytest.raises(OperationalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '50ms'")  # the same mechanism, a test-sized limit
        cursor.execute("SELECT pg_sleep(2)")
