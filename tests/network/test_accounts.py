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
