"""Calendar files a client will apply: a re-registration after a cancellation must carry a higher
SEQUENCE than the CANCEL, and the public course file must not share the personal invitation's UID."""

from __future__ import annotations

import icalendar
import pytest
from django.urls import reverse

from academy.registrations import services
from academy.registrations.signals import join_url_wanted

from .test_services import events_of, ics_of, written

pytestmark = pytest.mark.django_db


def sequences(message) -> list[int]:
    return [int(e["SEQUENCE"]) for e in events_of(ics_of(message))]


def test_cancel_then_register_again_keeps_the_sequence_growing(make_course, make_person):
    course = make_course(capacity=10)
    person = make_person()
    first = services.register(person, course)
    services.cancel(first, by=person.user)
    second = services.register(person, course)
    services.cancel(second, by=person.user)
    third = services.register(person, course)
    sent = [sequences(written(f"registration:{first.pk}:confirmed:")),
            sequences(written(f"registration:{first.pk}:cancelled:")),
            sequences(written(f"registration:{second.pk}:confirmed:")),
            sequences(written(f"registration:{second.pk}:cancelled:")),
            sequences(written(f"registration:{third.pk}:confirmed:"))]
    flat = [seq for [seq] in sent]
    assert flat == sorted(flat) and len(set(flat)) == len(flat), flat


def test_the_downloaded_invitation_matches_the_mailed_one(client, make_course, make_person):
    course = make_course(capacity=10)
    person = make_person()
    services.cancel(services.register(person, course), by=person.user)
    again = services.register(person, course)
    client.force_login(person.user)
    downloaded = icalendar.Calendar.from_ical(client.get(reverse("registrations:calendar", args=[again.pk])).content)
    assert [int(e["SEQUENCE"]) for e in downloaded.walk("VEVENT")] == sequences(
        written(f"registration:{again.pk}:confirmed:"))


def test_public_course_file_uses_its_own_uid(client, make_course, make_person):
    course = make_course(capacity=10)
    person = make_person()
    registration = services.register(person, course)
    public = icalendar.Calendar.from_ical(client.get(reverse("calendar:course", args=[course.pk])).content)
    personal = ics_of(written(f"registration:{registration.pk}:confirmed:"))
    public_uids = {str(e["UID"]) for e in public.walk("VEVENT")}
    personal_uids = {str(e["UID"]) for e in events_of(personal)}
    assert public_uids and personal_uids and not public_uids & personal_uids


def test_confirmation_names_the_session_of_each_teams_link(make_course, make_person):
    course = make_course(kind="masterclass", days=(5, 12))
    first, second = course.sessions.order_by("starts_at")
    first.title, second.title = "Modulo uno", "Modulo due"
    first.save(), second.save()
    def provider(sender, session, registration, **kwargs):
        return f"https://teams.example/join/{session.pk}"

    join_url_wanted.connect(provider, dispatch_uid="test.join_url")
    try:
        registration = services.register(make_person(), course)
        body = written(f"registration:{registration.pk}:confirmed:").body
    finally:
        join_url_wanted.disconnect(dispatch_uid="test.join_url")
    lines = body.splitlines()
    assert any("Modulo uno" in line and line.endswith(f"/join/{first.pk}") for line in lines), body
    assert any("Modulo due" in line and line.endswith(f"/join/{second.pk}") for line in lines), body
