"""Two schedulers at once (two hosts, or cron overlapping a long pass) never send a reminder or an HR
digest twice: with Redis the second one stands by while the first holds the lease; without Redis (or
with it down) both passes run and the outbox keys still let exactly one of them queue each message."""

from __future__ import annotations

import datetime
import io
import socket
import threading
import uuid
from collections import Counter
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from academy.core.locking import Lease
from academy.core.models import OutboxMessage
from academy.network.models import HROfficer
from academy.registrations import services
from academy.registrations.models import Registration
from tests.conftest import TEST_REDIS_URL

REDIS = TEST_REDIS_URL


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def _no_teams():
    with mock.patch("webinars.teams.scheduled_pass", return_value={}):
        yield


def scheduler() -> str:
    out = io.StringIO()
    call_command("academy_scheduler", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def in_threads(target, count: int = 2) -> list[BaseException]:
    errors: list[BaseException] = []

    def run():
        try:
            target()
        except BaseException as exc:  # noqa: B036 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@needs_redis
def test_the_lease_is_held_by_one_process_renewed_and_freed():
    name = f"test-{uuid.uuid4().hex[:8]}"
    first, second = Lease(name, ttl=5, url=REDIS), Lease(name, ttl=5, url=REDIS)
    assert first.acquire() is True and second.acquire() is False
    assert first.acquire() is True  # renewed by its holder
    first.release()
    assert second.acquire() is True and first.acquire() is False
    second.release()


def test_without_redis_the_lease_says_it_cannot_tell():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert Lease("x", ttl=5, url=f"redis://127.0.0.1:{port}/0").acquire() is None
    assert Lease("x", ttl=5, url="").acquire() is None


@needs_redis
@pytest.mark.django_db
def test_a_second_scheduler_stands_by_while_the_first_holds_the_lease(settings):
    settings.REDIS_URL = REDIS
    leader = Lease("scheduler", ttl=30, url=REDIS)
    leader.release()
    assert leader.acquire() is True
    try:
        with mock.patch("academy.registrations.services.send_due_reminders", return_value=0) as reminders:
            assert "standby" in scheduler()
        reminders.assert_not_called()
    finally:
        leader.release()
    with mock.patch("academy.registrations.services.send_due_reminders", return_value=0) as reminders:
        assert scheduler().strip().endswith("ok")
    reminders.assert_called_once()


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="two connections at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_each_reminder_and_digest_once(settings, make_course, make_person, site):
    settings.REDIS_URL = ""  # no lease: both passes really run side by side
    course = make_course(days=(1,))
    session = course.sessions.get()
    session.starts_at = timezone.now() + datetime.timedelta(hours=23)
    session.ends_at = session.starts_at + datetime.timedelta(hours=1)
    session.save()
    people = [make_person() for _ in range(4)]
    for person in people:
        services.register(person, course)
    Registration.objects.update(updated_at=timezone.now() - datetime.timedelta(days=2))
    for n in range(2):
        user = get_user_model().objects.create_user(username=f"hr-twice{n}@example.org",
                                                    email=f"hr-twice{n}@example.org", password="pw-12345!")
        HROfficer.objects.create(user=user, organisation=site.organisations["Cooperativa Gruppo Gamma"])
    mail.outbox.clear()

    # Both schedulers reach every "queue this message" step together, after both read which keys exist.
    barrier = threading.Barrier(2, timeout=20)
    from academy.competences import digest
    from academy.registrations import reminders

    real_invite, real_queue = reminders.send_invitation, digest.queue_email

    def invite(*args, **kwargs):
        barrier.wait()
        return real_invite(*args, **kwargs)

    def queue(*args, **kwargs):
        barrier.wait()
        return real_queue(*args, **kwargs)

    with mock.patch.object(reminders, "send_invitation", invite), mock.patch.object(digest, "queue_email", queue):
        assert in_threads(scheduler) == []

    keys = list(OutboxMessage.objects.filter(key__contains="reminder_24h").values_list("key", flat=True))
    digests = list(OutboxMessage.objects.filter(key__startswith="hr-digest:").values_list("key", flat=True))
    assert len(keys) == 4 and len(digests) == 2
    sent = Counter((m.to[0], m.extra_headers["Message-ID"]) for m in mail.outbox)
    assert all(n == 1 for n in sent.values()), sent
    reminded = [m.to[0] for m in mail.outbox if "hr-twice" not in m.to[0]]
    assert sorted(reminded) == sorted(p.email for p in people)
    assert sorted(m.to[0] for m in mail.outbox if "hr-twice" in m.to[0]) == ["hr-twice0@example.org",
                                                                              "hr-twice1@example.org"]


@needs_redis
@pytest.mark.django_db
def test_a_running_instance_holding_the_lease_does_not_stop_the_tests_scheduler(settings):
    """A scheduler of a running instance (the default namespace, same Redis database) holds its lease:
    the test run has a namespace of its own, so its scheduler takes its own lease and runs the pass."""
    settings.REDIS_URL = REDIS
    with override_settings(REDIS_KEY_PREFIX="academy"):  # the default of academy/settings.py
        running_instance = Lease("scheduler", ttl=30, url=REDIS)
    assert running_instance.acquire() is True
    try:
        with mock.patch("academy.registrations.services.send_due_reminders", return_value=0) as reminders:
            assert scheduler().strip().endswith("ok")
        reminders.assert_called_once()
        assert running_instance.acquire() is True  # still held by the running instance, untouched
    finally:
        running_instance.release()
