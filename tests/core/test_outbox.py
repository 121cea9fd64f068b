"""The outbox writes a registration e-mail in the worker that delivers it, not in the request that
caused it: the request records the key, the address and a small context; delivery renders, keeps
the text, and sends. A retry sends the very same text; a message that cannot be written is kept and
says why; an erased person's unsent mail is withdrawn."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from academy.core.models import OutboxMessage
from academy.core.outbox import deliver, deliver_pending, queue_email
from academy.network.privacy import anonymise_person
from academy.registrations import services

pytestmark = pytest.mark.django_db


def test_registration_records_the_message_and_delivery_writes_it(make_course, make_person):
    course = make_course(capacity=5)
    person = make_person(first_name="Giulia")
    registration = services.register(person, course)

    message = OutboxMessage.objects.get(key__startswith=f"registration:{registration.pk}:confirmed:")
    assert message.to == person.email and message.status == OutboxMessage.Status.PENDING
    assert message.body == "" and message.attachments == []  # nothing rendered in the request
    assert message.context == {"registration": registration.pk, "kind": "confirmed", "sessions": None}

    assert deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.renderer == ""
    assert "Giulia" in message.body and course.title in message.subject
    [sent] = mail.outbox
    assert sent.to == [person.email] and sent.body == message.body
    [(filename, content, content_type)] = sent.attachments
    assert filename == "invito.ics" and "method=REQUEST" in content_type
    assert b"BEGIN:VEVENT" in (content if isinstance(content, bytes) else content.encode())


def test_a_retry_sends_the_text_written_the_first_time(make_course, make_person):
    course = make_course(capacity=5)
    registration = services.register(make_person(), course)
    message = OutboxMessage.objects.get(key__startswith=f"registration:{registration.pk}:confirmed:")

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError("SMTP down")):
        assert not deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.body and message.renderer == ""
    first_text = message.body

    course.title = "Titolo cambiato nel frattempo"
    course.save()
    assert deliver_pending() == 0  # not before its backoff delay
    assert deliver_pending(now=timezone.now() + datetime.timedelta(minutes=2)) == 1
    assert mail.outbox[0].body == first_text and len(mail.outbox) == 1
    assert deliver_pending() == 0  # sent once


def test_a_message_that_cannot_be_written_is_kept_with_the_reason(make_course, make_person):
    course = make_course(capacity=5)
    registration = services.register(make_person(), course)
    message = OutboxMessage.objects.get(key__startswith=f"registration:{registration.pk}:confirmed:")
    OutboxMessage.objects.filter(pk=message.pk).update(context={**message.context, "registration": 0})

    assert not deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 1
    assert message.last_error.startswith("rendering: DoesNotExist") and mail.outbox == []


def test_erasure_withdraws_unsent_mail(make_course, make_person):
    person = make_person()
    services.register(person, make_course(capacity=5))
    address = person.email
    assert OutboxMessage.objects.filter(to=address).exists()

    anonymise_person(person)
    assert not OutboxMessage.objects.filter(to=address).exists()
    assert deliver_pending() == 0 and mail.outbox == []


def test_a_key_is_recorded_once_and_its_second_queueing_returns_the_first_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue_email("test:once", "a@example.coop", "First", "one")
        again = queue_email("test:once", "a@example.coop", "Second", "two")
    assert again.pk == first.pk
    assert OutboxMessage.objects.filter(key="test:once").count() == 1
    assert OutboxMessage.objects.get(key="test:once").subject == "First"
    assert len(callbacks) == 1  # one delivery scheduled, not two
