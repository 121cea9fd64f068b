"""A mail server that accepts the connection and never answers stops nothing: every SMTP wait is bounded
by ``EMAIL_TIMEOUT``, a scheduler pass gives up on the outbox for this pass at the first silent send
(the rest wait for the next pass, counted as no attempt), reminders and the Teams pass still run, and no
database transaction or row lock is held while a message is being sent."""

from __future__ import annotations

import datetime
import io
import socket
import threading
import time
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from academy.core.models import OutboxMessage
from academy.core.outbox import deliver, queue_email
from academy.registrations import services
from academy.registrations.models import Registration


class SilentSMTP:
    """A TCP server on loopback that accepts every connection and never sends a byte."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(client)

    def close(self):
        self.stopped = True
        for client in self.accepted:
            client.close()
        self.server.close()


@pytest.fixture
def silent_smtp(settings):
    server = SilentSMTP()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_TIMEOUT = 1
    yield server
    server.close()


def scheduler_pass() -> tuple[float, str]:
    """One pass in a thread (so a pass that hangs fails the test instead of hanging it)."""
    out, result = io.StringIO(), {}

    def run():
        started = time.monotonic()
        try:
            call_command("academy_scheduler", stdout=out, stderr=io.StringIO())
        except Exception as exc:  # reported through the output check below
            out.write(f"raised {exc!r}")
        finally:
            result["seconds"] = time.monotonic() - started
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the scheduler pass hung on the silent mail server"
    return result["seconds"], out.getvalue()


def test_email_timeout_is_set_by_default():
    assert isinstance(django_settings.EMAIL_TIMEOUT, int | float) and 0 < django_settings.EMAIL_TIMEOUT <= 60


@pytest.mark.django_db(transaction=True)
def test_a_silent_mail_server_stops_nothing_in_the_scheduler_pass(silent_smtp, make_course, make_person):
    course = make_course(days=(1,))
    session = course.sessions.get()
    session.starts_at = timezone.now() + datetime.timedelta(hours=23)
    session.ends_at = session.starts_at + datetime.timedelta(hours=1)
    session.save()
    with mock.patch("academy.core.outbox._enqueue_delivery"):  # registration mail: left for the pass
        people = [make_person() for _ in range(3)]
        for person in people:
            services.register(person, course)
        backlog = [queue_email(f"test:silent:{n}", f"a{n}@example.org", "Oggetto", "Testo") for n in range(5)]
    Registration.objects.update(updated_at=timezone.now() - datetime.timedelta(days=2))

    with mock.patch("webinars.teams.scheduled_pass", return_value={}) as teams:
        seconds, out = scheduler_pass()
    print(f"scheduler pass with a silent SMTP server: {seconds:.2f} s")  # quoted in the closing note

    assert seconds < 5 * django_settings.EMAIL_TIMEOUT + 5, out  # one silent send, not one per message
    teams.assert_called_once()
    reminders = OutboxMessage.objects.filter(key__contains="reminder_24h")
    assert reminders.count() == 3  # the reminders were queued in the same pass
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).exists()
    tried = OutboxMessage.objects.filter(attempts__gt=0)
    assert tried.count() == 1 and tried.get().status == OutboxMessage.Status.FAILED  # retried later
    assert "timed out" in tried.get().last_error.lower()
    assert all(m.attempts == 0 for m in OutboxMessage.objects.exclude(pk=tried.get().pk))
    assert {m.pk for m in backlog} <= set(OutboxMessage.objects.values_list("pk", flat=True))


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="a second connection at once needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_no_transaction_or_row_lock_is_held_while_a_message_is_sent(silent_smtp):
    with mock.patch("academy.core.outbox._enqueue_delivery"):  # sent below, in a thread
        message = queue_email("test:silent:lock", "b@example.org", "Oggetto", "Testo")
    sending = threading.Thread(target=lambda: (deliver(message.pk), connection.close()), daemon=True)
    sending.start()
    time.sleep(0.5)  # the send is now waiting for the silent server
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
            cursor.execute("SELECT state FROM pg_stat_activity WHERE state LIKE 'idle in transaction%%' "
                           "AND datname = current_database()")
            assert cursor.fetchall() == []
            cursor.execute(f"SELECT id FROM {OutboxMessage._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT",
                           [message.pk])  # raises if the sender held the row
            assert cursor.fetchall() == [(message.pk,)]
    finally:
        other.close()
    sending.join(10)
    assert not sending.is_alive()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 1
