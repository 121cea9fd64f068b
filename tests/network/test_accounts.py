"""Account e-mails go through the outbox like every other message."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from academy.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_password_reset_is_sent_once_through_the_outbox_and_its_link_works(
        client, make_person, django_capture_on_commit_callbacks):
    person = make_person(email="anna@gruppogamma.coop")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "anna@gruppogamma.coop"})
    assert response.status_code == 302
    (message,) = OutboxMessage.objects.filter(key__startswith="password-reset:")
    assert message.to == person.email and message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+/reset/\S+/)", mail.outbox[0].body).group(1)
    follow = client.get(link, follow=True)
    assert follow.status_code == 200 and "new_password1" in follow.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not OutboxMessage.objects.exists() and mail.outbox == []


def _reset_work(client, email: str, settings) -> tuple[list[str], list[str]]:
    """The SQL statements (with the typed address blanked) and the tasks one reset request causes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks import default_task_backend

    default_task_backend.results.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    statements = [re.sub(r"'[^']*'", "?", q["sql"]).replace(email, "?") for q in queries.captured_queries]
    return statements, [r.task.name for r in default_task_backend.results]


def test_password_reset_does_the_same_work_for_existing_and_unknown_accounts(client, make_person, settings):
    """Issue 23 item 10: the request queues one task and nothing else either way (the worker looks the
    address up and queues the mail), so its duration says nothing about the account."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["email", "default"]}}
    make_person(email="anna@gruppogamma.coop")

    existing = _reset_work(client, "anna@gruppogamma.coop", settings)
    unknown = _reset_work(client, "nobody@example.org", settings)

    assert existing == unknown
    assert existing[1] == ["send_password_reset"]
    assert not OutboxMessage.objects.exists()  # nothing was looked up or rendered in the request


def test_the_reset_task_mails_existing_accounts_only(make_person, settings):
    from academy.network.tasks import send_password_reset

    settings.SITE_URL = "https://academy.example.coop"
    make_person(email="anna@gruppogamma.coop")
    send_password_reset.call("nobody@example.org", "it")
    assert not OutboxMessage.objects.exists()
    send_password_reset.call("anna@gruppogamma.coop", "it")
    (message,) = OutboxMessage.objects.all()
    assert message.to == "anna@gruppogamma.coop" and "/reset/" in message.body
    assert message.body.count("https://academy.example.coop/it/accounts/reset/") == 1
