"""GDPR: the data export holds the person's own data and nobody else's; erasure anonymises but keeps the
counts; the retention purge touches old registrations only."""

from __future__ import annotations

import datetime
import json

from django.urls import reverse
from django.utils import timezone

from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.registrations import services as registrations
from academy.registrations.models import Registration, RegistrationEvent
from masterclass.models import Application
from webinars.models import EmailAlias, UnmatchedAttendance

from .conftest import FISCAL_CODE


def test_export_has_own_registrations_attendance_certificates_and_nothing_of_others(world, client, make_person,
                                                                                      member_org):
    colleague = make_person(org=member_org, email="collega.riservata@gruppogamma.coop", fiscal_code="BNCLCU80A01H501U")
    registrations.register(colleague, world.course, by=colleague.user, consent_version="v1")
    client.force_login(world.registrant.user)
    response = client.get(reverse("registrations:my_data"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="academy-my-data.json"'
    data = json.loads(response.content)
    assert data["person"]["email"] == world.registrant.email and data["person"]["fiscal_code"] == FISCAL_CODE
    assert {r["course"] for r in data["registrations"]} == {"Privacy: aggiornamento", "Webinar futuro"}
    assert all(r["consent_version"] == "v1" for r in data["registrations"])
    assert data["attendance"] and all(a["minutes"] > 0 for a in data["attendance"])
    assert [c["code"] for c in data["certificates"]] == [world.certificate.code]
    assert data["masterclass_applications"][0]["endorser_email"] == "presidente@gruppogamma.coop"
    assert [t["title"] for t in data["external_training"]] == ["Corso esterno"]
    text = response.content.decode()
    for other in (colleague.email, "BNCLCU80A01H501U", colleague.last_name):
        assert other not in text


def test_export_needs_a_login_and_a_person(client, world):
    assert client.get(reverse("registrations:my_data")).status_code == 302
    client.force_login(world.staff)  # an account without a Person has nothing to export
    assert client.get(reverse("registrations:my_data")).status_code == 404


def test_erasure_anonymises_personal_fields_and_keeps_counts(world, client):
    registrant = world.registrant
    EmailAlias.objects.create(person=registrant, email="mario.teams@outlook.example")
    UnmatchedAttendance.objects.create(session=world.past_course.sessions.first(), email="Mario.Teams@outlook.example",
                                       display_name="Mario (Teams)", minutes=12)
    past_before = Registration.objects.filter(course=world.past_course).count()
    client.force_login(registrant.user)
    assert client.get(reverse("registrations:erase")).status_code == 200
    response = client.post(reverse("registrations:erase"), {"confirm": "yes"})
    assert response.status_code == 302

    registrant = Person.objects.get(pk=registrant.pk)
    assert registrant.anonymised_at and registrant.user is None
    assert "Segreto" not in registrant.full_name and registrant.fiscal_code == ""
    assert registrant.email.endswith("@anonymised.invalid")
    # counts stay: the past registration is still counted for its course; the future one is freed
    assert Registration.objects.filter(course=world.past_course).count() == past_before
    assert Registration.objects.get(pk=world.past_registration.pk).status == Registration.Status.CONFIRMED
    assert Registration.objects.get(pk=world.registration.pk).status == Registration.Status.CANCELLED
    # personal data kept by other apps went too
    application = Application.objects.get(pk=world.application.pk)
    assert (application.motivation, application.endorser_email, application.endorser_name) == ("", "", "")
    assert not EmailAlias.objects.filter(email="mario.teams@outlook.example").exists()
    assert not UnmatchedAttendance.objects.filter(email__icontains="mario").exists()
    assert not UnmatchedAttendance.objects.filter(display_name__icontains="mario").exists()
    # the old account cannot log in any more
    client.logout()
    assert not client.login(username="mario.segreto@gruppogamma.coop", password="pw-12345!")


def test_erasure_is_post_only_with_confirmation(world, client):
    client.force_login(world.registrant.user)
    client.post(reverse("registrations:erase"), {})
    assert Person.objects.get(pk=world.registrant.pk).anonymised_at is None


def test_retention_purge_clears_old_registrations_only(world, make_person, member_org, settings):
    old_course = world.past_course
    guest = make_person(org=member_org, email="ospite.vecchia@gruppogamma.coop", user=False)
    old_registration = Registration.objects.create(course=old_course, person=guest, status="confirmed",
                                                   registered_by=world.staff, consent_version="v1")
    RegistrationEvent.objects.create(registration=old_registration, action="registered", by=world.staff,
                                     note="iscritta da ospite.vecchia@gruppogamma.coop")
    # the past course ended a few days ago: set "now" past its retention period
    now = CoursePage.objects.get(pk=old_course.pk).last_ends_at + datetime.timedelta(
        days=settings.ACADEMY["RETENTION_DAYS"] + 1)
    assert now > timezone.now()
    count_before = Registration.objects.filter(course=old_course).count()

    purged = registrations.purge_expired_personal_data(now=now)

    assert purged == count_before
    assert Registration.objects.filter(course=old_course).count() == count_before
    old_registration.refresh_from_db()
    assert old_registration.registered_by is None
    assert not RegistrationEvent.objects.filter(registration=old_registration).exclude(note="").exists()
    guest.refresh_from_db()
    assert guest.anonymised_at is not None and guest.email.endswith("@anonymised.invalid")
    # the registrant has an account and a newer registration: kept; the newer registration untouched
    registrant = Person.objects.get(pk=world.registrant.pk)
    assert registrant.anonymised_at is None and registrant.email == "mario.segreto@gruppogamma.coop"
    assert not world.registration.events.filter(action="purged").exists()
    # running it again purges nothing more
    assert registrations.purge_expired_personal_data(now=now) == 0
