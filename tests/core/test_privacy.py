"""The privacy registry: what an app registers is part of the download and runs at erasure, in order
and in one transaction."""

from __future__ import annotations

import pytest

from academy.core import privacy
from academy.core.models import OutboxMessage
from academy.network.models import Person
from academy.network.privacy import anonymise_person, export_person_data
from academy.registrations import services as registrations
from academy.registrations.models import Registration
from webinars.models import EmailAlias


@pytest.fixture
def holder():
    """Register a holder the way an app's ``privacy.py`` does; ``calls`` records what the eraser saw."""
    calls = []

    def register(*, fail: bool = False, order: int = 500):
        def erase(person, *, by, now):
            calls.append({"email": person.email, "anonymised_at": person.anonymised_at, "by": by, "now": now})
            if fail:
                raise RuntimeError("eraser failed")

        privacy.register("notes", export=lambda person: [f"note about {person.email}"], erase=erase, order=order)
        return calls

    yield register
    privacy.unregister("notes")


def test_a_registered_holder_is_exported_and_erased_before_the_person(holder, make_person):
    calls = holder()
    person = make_person()
    address = person.email

    assert export_person_data(person)["notes"] == [f"note about {address}"]

    anonymise_person(person, by=person.user)
    # the holder saw the person as they were: it can find its rows by name and address
    assert calls[0]["email"] == address and calls[0]["anonymised_at"] is None
    assert calls[0]["by"] == person.user and calls[0]["now"] is not None
    assert Person.objects.get(pk=person.pk).anonymised_at is not None


def test_erasing_an_erased_person_runs_no_eraser_again(holder, make_person):
    calls = holder()
    person = make_person()
    anonymise_person(person)
    anonymise_person(person)
    assert len(calls) == 1


def test_an_unregistered_holder_is_neither_exported_nor_erased(holder, make_person):
    calls = holder()
    privacy.unregister("notes")
    person = make_person()
    assert "notes" not in export_person_data(person)
    anonymise_person(person)
    assert calls == []


def test_a_failing_eraser_rolls_the_whole_erasure_back(holder, make_person, make_course):
    # after the registrations, outbox and Teams erasers, before the person: each of those ran already
    holder(fail=True, order=60)
    person = make_person()
    registration = registrations.register(person, make_course(capacity=5))
    EmailAlias.objects.create(person=person, email="alias.personale@example.org")
    unsent = OutboxMessage.objects.filter(to=person.email).exclude(status=OutboxMessage.Status.SENT).count()
    assert unsent

    with pytest.raises(RuntimeError):
        anonymise_person(person, by=person.user)

    person.refresh_from_db()
    assert person.anonymised_at is None and person.user is not None and person.first_name != "Anonimo"
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED
    assert EmailAlias.objects.filter(person=person).exists()
    assert OutboxMessage.objects.filter(to=person.email).exclude(status=OutboxMessage.Status.SENT).count() == unsent


def test_the_download_lists_its_sections_in_a_fixed_order(make_person):
    assert list(export_person_data(make_person())) == [
        "person", "sign_in_methods", "registrations", "attendance", "attendance_intervals", "funded_course_files",
        "evaluation", "membership_requests", "roster_claims", "certificates", "login_records",
        "masterclass_applications", "external_training", "import_jobs", "api_tokens", "mandatory_training",
        "email_aliases", "teams_identities",
    ]
