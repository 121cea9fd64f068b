"""An SMTP outage: retries back off exponentially up to an hour for about a day, then the message is
marked undelivered, staff are told once (never about the alert itself), and staff can requeue it from
the admin. Every attempt carries the same Message-ID; delivery has its own task queue."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from academy.core import outbox
from academy.core.models import OutboxMessage
from academy.core.outbox import MAX_ATTEMPTS, deliver, deliver_pending, queue_email, retry_delay
from academy.core.outbox_alerts import ALERT_KEY_PREFIX, alert_staff

pytestmark = pytest.mark.django_db
SMTP_DOWN = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError("SMTP down"))


def test_the_retry_schedule_doubles_from_a_minute_to_an_hour_and_spans_a_day():
    minutes = [retry_delay(n).total_seconds() / 60 for n in range(1, MAX_ATTEMPTS)]
    assert minutes[:7] == [1, 2, 4, 8, 16, 32, 60] and max(minutes) == 60
    assert datetime.timedelta(days=1) <= sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)),
                                             datetime.timedelta()) <= datetime.timedelta(days=2)


def test_an_smtp_outage_backs_off_then_gives_up_and_alerts_staff_once(settings):
    settings.ACADEMY = {**settings.ACADEMY, "CONTACT_EMAIL": "ufficio@academy.example"}
    message = queue_email("test:outage", "chiara@example.org", "Promemoria", "Domani.")
    clock = [timezone.now()]
    with SMTP_DOWN, mock.patch("academy.core.outbox.timezone.now", side_effect=lambda: clock[0]):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert deliver_pending() == 0
            message.refresh_from_db()
            assert message.attempts == attempt
            clock[0] += datetime.timedelta(seconds=50)
            assert deliver_pending() == 0  # not due yet
            message.refresh_from_db()
            assert message.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert message.status == OutboxMessage.Status.FAILED
                clock[0] = message.next_attempt_at
        assert message.status == OutboxMessage.Status.UNDELIVERED
        assert clock[0] - message.created_at >= datetime.timedelta(days=1)
        clock[0] += datetime.timedelta(days=7)
        assert deliver_pending() == 0  # given up on

    assert alert_staff() == 1 and alert_staff() == 0  # once
    alert = OutboxMessage.objects.get(key__startswith=ALERT_KEY_PREFIX)
    assert alert.to == "ufficio@academy.example" and "chiara@example.org" in alert.body
    # The alert itself failing for good never raises an alert about the alert.
    OutboxMessage.objects.filter(pk=alert.pk).update(status=OutboxMessage.Status.UNDELIVERED)
    assert alert_staff() == 0

    # SMTP back: the alert is delivered by the next pass; staff requeue the message.
    OutboxMessage.objects.filter(pk=alert.pk).update(status=OutboxMessage.Status.PENDING)
    assert deliver_pending() == 1 and mail.outbox[0].to == ["ufficio@academy.example"]
    assert outbox.requeue([message.pk]) == 1
    assert deliver_pending() == 1 and mail.outbox[-1].to == ["chiara@example.org"]


def test_every_attempt_of_a_message_carries_the_same_message_id(settings):
    settings.SITE_URL = "https://academy.example.coop"
    first = queue_email("test:mid:1", "a@example.org", "Uno", "Testo")
    second = queue_email("test:mid:2", "a@example.org", "Due", "Testo")
    with SMTP_DOWN:
        assert not deliver(first.pk)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError):
        assert not deliver(first.pk)
    assert deliver(first.pk) and deliver(second.pk)
    ids = [m.message()["Message-ID"] for m in mail.outbox]
    assert ids[0] == outbox.stable_message_id(first) and ids[0].endswith("@academy.example.coop>")
    assert ids[0] != ids[1]
    # A resend after a crash between SMTP accepting and the row being marked sent: same id.
    OutboxMessage.objects.filter(pk=first.pk).update(status=OutboxMessage.Status.PENDING)
    assert deliver(first.pk) and mail.outbox[-1].message()["Message-ID"] == ids[0]


def test_delivery_runs_on_its_own_queue_which_workers_serve_first(settings):
    assert outbox.deliver_message_task.queue_name == "email"
    assert settings.TASK_QUEUES[0] == "email"
    with mock.patch("academy.core.management.commands.academy_worker.call_command") as call, \
            mock.patch.dict(settings.TASKS["default"], BACKEND="django_tasks_rq.RQBackend"):
        call_command("academy_worker", "--burst")
    assert call.call_args.args == ("rqworker", "email", "default")


def test_staff_see_the_outbox_and_requeue_from_the_admin(admin_client, client, django_user_model):
    message = queue_email("test:admin", "b@example.org", "Oggetto", "Testo")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.UNDELIVERED, attempts=30)
    index = reverse("academy_outbox:index")
    requeue_url = reverse("academy_outbox_requeue", args=[message.pk])
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(index).status_code in (302, 403)
    assert client.post(requeue_url).status_code in (302, 403)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.UNDELIVERED  # an editor cannot requeue

    response = admin_client.get(index + "?status=undelivered")
    assert response.status_code == 200 and b"b@example.org" in response.content
    assert admin_client.get(index + "?export=csv").status_code == 200
    assert b"academy-undelivered-title" in admin_client.get(reverse("wagtailadmin_home")).content
    assert admin_client.get(requeue_url).status_code == 200
    assert admin_client.post(requeue_url).status_code == 302
    message.refresh_from_db()
    assert message.status in (OutboxMessage.Status.PENDING, OutboxMessage.Status.SENT) and message.attempts <= 1
