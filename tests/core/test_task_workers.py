"""Production background work: tasks enqueued through django-tasks' RQ backend on a real Redis are
run by the worker that ``manage.py academy_worker`` starts (same RQ job class), and an outbox e-mail
queued in a transaction is delivered exactly once by it."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from academy.core.management.commands.academy_worker import JOB_CLASS
from academy.core.models import OutboxMessage
from academy.core.outbox import deliver_message_task

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_up() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def rq_backend(monkeypatch):
    """The production task settings (TASKS_BACKEND=rq) on a private queue of the local Redis."""
    if not redis_up():
        pytest.skip(f"no Redis on {REDIS_HOST}:{REDIS_PORT}")
    import django_rq.settings

    queue = f"test-{uuid.uuid4().hex[:8]}"
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/9"
    queues = {"default": {"URL": url}, queue: {"URL": url}}
    monkeypatch.setattr(django_rq.settings, "QUEUES", queues)  # read once at import by django_rq
    with override_settings(RQ_QUEUES=queues,
                           TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}):
        yield queue
        django_rq.get_queue(queue).empty()


@pytest.mark.django_db
def test_rq_worker_runs_the_academys_tasks_and_sends_each_email_once(rq_backend):
    import django_rq
    from django.utils.module_loading import import_string
    from rq import SimpleWorker

    message = OutboxMessage.objects.create(key="test:worker:1", to="anna@gruppogamma.coop",
                                           subject="Conferma", body="Ciao")
    task = deliver_message_task.using(queue_name=rq_backend)
    first, second = task.enqueue(message.pk), task.enqueue(message.pk)  # a retry enqueues it again
    assert first.status == "READY"

    # The worker academy_worker starts, without forking so it shares this test's database.
    worker = django_rq.get_worker(rq_backend, job_class=import_string(JOB_CLASS), worker_class=SimpleWorker)
    assert worker.work(burst=True)

    first.refresh()
    second.refresh()
    assert (first.status, second.status) == ("SUCCESSFUL", "SUCCESSFUL")
    assert first.return_value is True
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1
    assert [m.to for m in mail.outbox] == [["anna@gruppogamma.coop"]]


def test_academy_worker_refuses_to_start_without_the_rq_backend():
    with pytest.raises(CommandError, match="TASKS_BACKEND=rq"):
        call_command("academy_worker", "--burst")
