"""Application → selection → registration, and the e-mails of each step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.core.models import OutboxMessage
from academy.registrations import services as registrations
from academy.registrations.models import Registration
from masterclass import services
from masterclass.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the (English) messages; URLs reversed here get the /en/ prefix too."""
    from django.utils import translation

    with translation.override("en"):
        yield


def apply(person, course, **overrides):
    data = {"role": "Coordinatrice servizi educativi", "motivation": "Voglio guidare il cambiamento.",
            "endorser_name": "Anna Direttrice", "endorser_email": "direzione@gruppogamma.coop"}
    data.update(overrides)
    return services.submit_application(person, course, **data)


def test_member_applies_from_the_page_and_is_acknowledged(client, masterclass, make_person):
    person = make_person(first_name="Giulia")
    client.force_login(person.user)
    page = client.get(masterclass.url)
    assert b'data-testid="apply"' in page.content
    response = client.post(reverse("masterclass:apply", args=[masterclass.pk]), {
        "role": "Coordinatrice", "organisation": person.organisation_id, "motivation": "Per crescere.",
        "endorser_name": "Anna Direttrice", "endorser_email": "direzione@gruppogamma.coop", "consent": "on",
    })
    assert response.status_code == 302
    application = Application.objects.get(person=person)
    assert application.status == "submitted" and application.organisation == person.organisation
    received = OutboxMessage.objects.get(key=f"masterclass-application-{application.pk}-received")
    assert received.to == person.email and "Giulia" in received.body
    endorser = OutboxMessage.objects.get(key=f"masterclass-application-{application.pk}-endorser")
    assert endorser.to == "direzione@gruppogamma.coop" and person.full_name in endorser.body
    # No registration yet: selection comes first.
    assert not Registration.objects.filter(person=person).exists()
    assert b'data-testid="application-status"' in client.get(masterclass.url).content


def test_invalid_form_shows_errors_and_saves_nothing(client, masterclass, make_person):
    person = make_person()
    client.force_login(person.user)
    response = client.post(reverse("masterclass:apply", args=[masterclass.pk]), {
        "role": "Coordinatrice", "motivation": "", "endorser_name": "X", "endorser_email": "not-an-email"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_non_member_cannot_apply(client, masterclass, make_person):
    import datetime

    from academy.network.models import Organisation

    outsider_org = Organisation.objects.create(name="Ex socia", email_domains="esterna.it",
                                               member_until=datetime.date(2000, 1, 1))
    outsider = make_person(org=outsider_org, email="mario@esterna.it")
    OutboxMessage.objects.all().delete()
    with pytest.raises(services.ApplicationError):
        apply(outsider, masterclass)
    client.force_login(outsider.user)
    page = client.get(masterclass.url)
    assert b'data-testid="apply"' not in page.content
    response = client.post(reverse("masterclass:apply", args=[masterclass.pk]), {"role": "x"})
    assert response.status_code == 302 and not Application.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_self_endorsement_and_duplicates_are_refused(masterclass, make_person):
    person = make_person()
    with pytest.raises(services.ApplicationError, match="endorsement"):
        apply(person, masterclass, endorser_email=person.email)
    apply(person, masterclass)
    with pytest.raises(services.ApplicationError, match="already applied"):
        apply(person, masterclass)


def test_direct_registration_is_refused_for_application_courses(masterclass, make_person):
    with pytest.raises(registrations.RegistrationError):
        registrations.register(make_person(), masterclass)


def test_accept_registers_through_the_registration_service_and_notifies(masterclass, make_person, staff):
    person = make_person(preferred_language="en")
    application = apply(person, masterclass)
    decided = services.decide_application(application, "accept", staff, note="Welcome!")
    assert decided.status == "accepted" and decided.decided_by == staff and decided.decided_at
    registration = Registration.objects.get(person=person, course=masterclass)
    assert registration.status == "confirmed" and decided.registration == registration
    assert registration.events.filter(note="application").exists()  # logged by register(via_application)
    message = OutboxMessage.objects.get(key=f"masterclass-application-{application.pk}-accepted")
    assert message.subject.startswith("You have been selected") and "Welcome!" in message.body
    # Deciding the same again changes nothing and sends nothing new.
    count = OutboxMessage.objects.count()
    services.decide_application(decided, "accept", staff)
    assert OutboxMessage.objects.count() == count
    with pytest.raises(services.ApplicationError, match="already been decided"):
        services.decide_application(decided, "reject", staff)


def test_waiting_then_accepted_and_rejection_in_italian(masterclass, make_person, staff):
    waiting_person, rejected_person = make_person(), make_person()
    waiting = services.decide_application(apply(waiting_person, masterclass), "wait", staff)
    assert waiting.status == "waiting"
    assert not Registration.objects.filter(person=waiting_person).exists()
    rejected = services.decide_application(apply(rejected_person, masterclass), "reject", staff)
    assert rejected.status == "rejected" and rejected.registration is None
    assert OutboxMessage.objects.filter(key=f"masterclass-application-{waiting.pk}-waiting",
                                        to=waiting_person.email).exists()
    assert OutboxMessage.objects.filter(key=f"masterclass-application-{rejected.pk}-rejected").exists()
    accepted = services.decide_application(waiting, "accept", staff)
    assert accepted.registration.status == "confirmed"
    # A rejected person may apply again to a later call.
    assert apply(rejected_person, masterclass).status == "submitted"


def test_failed_registration_rolls_back_the_decision(masterclass, make_person, staff):
    person = make_person()
    application = apply(person, masterclass)
    person.email_verified = False  # no longer recognised as a member
    person.save()
    with pytest.raises(services.ApplicationError):
        services.decide_application(application, "accept", staff)
    application.refresh_from_db()
    assert application.status == "submitted" and application.decided_at is None
    assert not Registration.objects.filter(person=person).exists()
    assert not OutboxMessage.objects.filter(key__endswith="-accepted").exists()


def test_staff_decide_in_the_wagtail_admin(client, masterclass, make_person, staff):
    person = make_person()
    application = apply(person, masterclass)
    client.force_login(person.user)
    assert client.get(reverse("masterclass_applications:index")).status_code in (302, 403)
    assert client.post(reverse("masterclass_applications:decide", args=[application.pk]),
                       {"decision": "accept"}).status_code in (302, 403)
    client.force_login(staff)
    listing = client.get(reverse("masterclass_applications:index"), {"course": masterclass.pk})
    assert listing.status_code == 200 and person.full_name.encode() in listing.content
    inspect = client.get(reverse("masterclass_applications:inspect", args=[application.pk]))
    assert inspect.status_code == 200 and b"decision" in inspect.content
    response = client.post(reverse("masterclass_applications:decide", args=[application.pk]),
                           {"decision": "accept", "note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"
    assert Registration.objects.get(person=person).status == "confirmed"


def test_admin_list_filters_by_status_and_exports(client, masterclass, make_person, staff):
    waiting = services.decide_application(apply(make_person(), masterclass), "wait", staff)
    submitted = apply(make_person(), masterclass)
    client.force_login(staff)
    index = reverse("masterclass_applications:index")
    listing = client.get(index, {"status": "waiting"}).content
    assert waiting.person.full_name.encode() in listing
    assert submitted.person.full_name.encode() not in listing
    export = client.get(index, {"export": "csv"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert waiting.endorser_email.encode() in body and submitted.endorser_email.encode() in body


def test_application_emails_link_the_public_site_address(masterclass, make_person, settings):
    """The course link points at SITE_URL (the one rule for outgoing links), not at the Wagtail Site
    record's hostname."""
    settings.SITE_URL = "https://academy.example.coop"
    application = apply(make_person(preferred_language="it"), masterclass)
    received = OutboxMessage.objects.get(key=f"masterclass-application-{application.pk}-received")
    assert f"https://academy.example.coop{masterclass.url}" in received.body
