"""The shared bases of academy.core: one retry policy and staff alert for the outbox and Teams operations,
one background-job shape for bulk certificate issues and HR imports, and messages rendered by the
receiver of their kind (no code path stored in a row)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from academy.core.jobs import BackgroundJob
from academy.core.models import OutboxMessage
from academy.core.outbox import deliver, email_rendering, queue_email, queue_email_later, requeue
from academy.core.outbox_alerts import ALERT_KEY_PREFIX, alert_staff
from academy.core.retrying import RetryPolicy
from certificates.models import BulkIssueJob
from webinars.models import GraphOperation

pytestmark = pytest.mark.django_db
SMTP_DOWN = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError("SMTP down"))


def test_one_policy_shape_serves_both_schedules():
    minutes = [GraphOperation.retry_policy.delay(n).total_seconds() / 60 for n in range(1, 9)]
    assert minutes == [0, 2, 4, 8, 16, 32, 60, 60]  # Teams: at once, then doubling, at most hourly
    assert [OutboxMessage.retry_policy.delay(n).total_seconds() / 60 for n in (1, 2, 3)] == [1, 2, 4]
    policy = RetryPolicy(max_attempts=2, give_up=True)
    op = OutboxMessage(attempts=2)
    with mock.patch.object(OutboxMessage, "retry_policy", policy):
        op.record_failure("x" * 5000, timezone.now())
    assert op.next_attempt_at is None and len(op.last_error) == 4000  # given up


def test_a_graph_operation_keeps_being_retried_after_its_attempts_ran_out():
    now = timezone.now()
    op = GraphOperation(attempts=9)
    op.record_failure("403 Forbidden", now)
    assert op.exhausted and op.next_attempt_at == now + datetime.timedelta(hours=1)


def test_a_message_requeued_by_staff_that_fails_again_is_reported_again(settings):
    settings.ACADEMY = {**settings.ACADEMY, "CONTACT_EMAIL": "ufficio@academy.example"}
    message = queue_email("test:again", "luca@example.org", "Oggetto", "Testo")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED,
                                                       attempts=OutboxMessage.retry_policy.max_attempts - 1)
    with SMTP_DOWN:
        assert not deliver(message.pk)
    assert alert_staff() == 1 and alert_staff() == 0

    assert requeue([message.pk]) == 1
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED,
                                                       attempts=OutboxMessage.retry_policy.max_attempts - 1)
    with SMTP_DOWN:
        assert not deliver(message.pk)
    with mock.patch("academy.core.retrying.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=1)):
        assert alert_staff() == 1
    assert OutboxMessage.objects.filter(key__startswith=ALERT_KEY_PREFIX).count() == 2


def test_a_message_is_written_by_the_receiver_of_its_kind():
    def render(sender, kind, context, **kwargs):
        from academy.core.outbox import RenderedEmail

        return RenderedEmail(f"Ciao {context['name']}", "Testo") if kind == "test-greeting" else None

    email_rendering.connect(render, dispatch_uid="test.greeting")
    try:
        greeting = queue_email_later("test:greeting", "a@example.org", "test-greeting", {"name": "Anna"})
        unknown = queue_email_later("test:unknown", "b@example.org", "no-such-kind", {})
        assert deliver(greeting.pk) and mail.outbox[0].subject == "Ciao Anna"
        assert not deliver(unknown.pk)
    finally:
        email_rendering.disconnect(dispatch_uid="test.greeting")
    unknown.refresh_from_db()
    assert unknown.status == OutboxMessage.Status.FAILED and "NoRenderer" in unknown.last_error


def test_a_job_runs_once_and_the_last_batch_closes_it(make_course):
    job = BulkIssueJob.objects.create(course=make_course(), total=4)
    assert BulkIssueJob.start(job.pk) and not BulkIssueJob.start(job.pk)  # a retried task does not run it twice
    BulkIssueJob.advance(job.pk, 2)
    assert not BulkIssueJob.finish(job.pk, BackgroundJob.Status.DONE, when_complete=True)
    BulkIssueJob.advance(job.pk, 2)
    assert BulkIssueJob.finish(job.pk, BackgroundJob.Status.DONE, when_complete=True)
    job.refresh_from_db()
    assert (job.status, job.percent, job.is_active) == ("done", 100, False) and job.started_at and job.finished_at
    assert not BulkIssueJob.finish(job.pk, BackgroundJob.Status.FAILED, error="late")  # closed stays closed
