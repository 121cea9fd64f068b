"""Roster takeover: an HR officer writes directly only for addresses on their own organisations'
domains; anything else waits for the person (by an e-mailed link) or staff to confirm, and a verified
domain always wins over an import."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from academy.core.models import OutboxMessage
from academy.network import privacy, services
from academy.network.models import HROfficer, Organisation, OrganisationSource, Person, RosterClaim

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,email,fiscal_code,job_role\n"
CF = "RSSMRA85T10A562S"


def roster(text: str) -> io.BytesIO:
    return io.BytesIO((HEADER + text).encode())


@pytest.fixture
def gamma(site):
    return site.organisations["Cooperativa Gruppo Gamma"]


@pytest.fixture
def nazareth(site):
    return site.organisations["Cooperativa Nazareth"]


@pytest.fixture
def officer(gamma):
    user = get_user_model().objects.create_user("hr-gamma", email="hr@gruppogamma.coop")
    HROfficer.objects.create(user=user, organisation=gamma)
    return user


def link_path(message: OutboxMessage) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_own_domain_rows_are_applied_directly(gamma, officer):
    report = services.import_roster(roster("Anna,Bianchi,anna@gruppogamma.coop,,OSS\n"), gamma, officer,
                                    filename="r.csv")
    assert report.ok and report.created == 1 and report.pending == 0
    anna = Person.objects.get(email="anna@gruppogamma.coop")
    assert anna.organisation == gamma and anna.on_roster
    assert anna.organisation_source == OrganisationSource.ROSTER
    assert not RosterClaim.objects.exists()


def test_a_person_without_employer_is_not_taken_over(gamma, officer):
    free = Person.objects.create(first_name="Giulia", last_name="Verdi", email="giulia@gmail.com",
                                 fiscal_code=CF)
    report = services.import_roster(roster("Falso,Nome,giulia@gmail.com,,Autista\n"), gamma, officer,
                                    filename="r.csv")
    assert report.ok and report.created == report.updated == 0 and report.pending == 1
    free.refresh_from_db()
    assert (free.first_name, free.last_name, free.fiscal_code, free.organisation) == ("Giulia", "Verdi", CF, None)
    assert not free.on_roster and not services.eligibility(free).eligible
    claim = RosterClaim.objects.get()
    assert claim.status == RosterClaim.Status.PENDING and claim.requested_by == officer
    mails = OutboxMessage.objects.filter(key=f"roster-claim:{claim.pk}")
    assert mails.count() == 1 and mails.get().to == "giulia@gmail.com"
    assert "Falso" not in mails.get().body  # nothing the officer typed goes to that mailbox
    # the same file again updates the request and sends nothing more
    services.import_roster(roster("Falso,Nome,giulia@gmail.com,,Educatrice\n"), gamma, officer, filename="r.csv")
    assert RosterClaim.objects.get().job_role == "Educatrice"
    assert OutboxMessage.objects.filter(key__startswith="roster-claim:").count() == 1


def test_pre_claiming_another_cooperatives_address_fails_when_its_owner_verifies(gamma, nazareth, officer):
    report = services.import_roster(roster("Nora,Neri,nora@nazareth.coop,,\n"), gamma, officer, filename="r.csv")
    assert report.pending == 1 and not Person.objects.filter(email="nora@nazareth.coop").exists()
    user = services.sign_up(first_name="Nora", last_name="Neri", email="nora@nazareth.coop",
                            password="a-Long-passw0rd!")
    person, _first = services.verify_email(services.verification_token(user))
    assert person.organisation == nazareth and not person.on_roster
    assert not Person.objects.filter(organisation__in=Organisation.objects.managed_by(officer),
                                     email="nora@nazareth.coop").exists()


def test_a_verified_domain_wins_over_an_earlier_import(gamma, nazareth):
    # as a roster import of the old code left it: an address of Nazareth on Gamma's roster
    legacy = Person.objects.create(first_name="Pia", last_name="Presa", email="pia@nazareth.coop",
                                   organisation=gamma, on_roster=True,
                                   organisation_source=OrganisationSource.ROSTER)
    user = services.sign_up(first_name="Pia", last_name="Presa", email="pia@nazareth.coop",
                            password="a-Long-passw0rd!")
    person, _first = services.verify_email(services.verification_token(user))
    assert person.pk == legacy.pk and person.organisation == nazareth and not person.on_roster
    assert person.organisation_source == OrganisationSource.DOMAIN


def test_a_placement_confirmed_by_staff_stays_after_verification(gamma, nazareth):
    placed = Person.objects.create(first_name="Ivo", last_name="Blu", email="ivo@nazareth.coop",
                                   organisation=gamma, on_roster=True,
                                   organisation_source=OrganisationSource.STAFF)
    user = services.sign_up(first_name="Ivo", last_name="Blu", email="ivo@nazareth.coop",
                            password="a-Long-passw0rd!")
    person, _first = services.verify_email(services.verification_token(user))
    assert person.pk == placed.pk and person.organisation == gamma and person.on_roster


def test_the_person_confirms_through_the_link(client, gamma, officer):
    existing = Person.objects.create(first_name="Giulia", last_name="", email="giulia@gmail.com")
    services.import_roster(roster(f"Giulia,Verdi,giulia@gmail.com,{CF},Educatrice\n"), gamma, officer,
                           filename="r.csv")
    path = link_path(OutboxMessage.objects.get(key__startswith="roster-claim:"))
    page = client.get(path)
    assert page.status_code == 200 and "Cooperativa Gruppo Gamma" in page.content.decode()
    response = client.post(path, {"decision": "confirm"})
    assert response.status_code == 200 and b'data-testid="claim-confirmed"' in response.content
    existing.refresh_from_db()
    assert existing.organisation == gamma and existing.on_roster
    assert existing.organisation_source == OrganisationSource.PERSON
    # what was missing is filled in; what the person had is kept
    assert (existing.first_name, existing.last_name, existing.fiscal_code) == ("Giulia", "Verdi", CF)
    assert services.eligibility(existing).eligible
    again = client.post(path, {"decision": "decline"})
    assert again.status_code == 200
    existing.refresh_from_db()
    assert existing.on_roster and RosterClaim.objects.get().status == RosterClaim.Status.CONFIRMED


def test_confirming_creates_the_person_and_supersedes_other_claims(client, gamma, nazareth, officer):
    other = get_user_model().objects.create_user("hr-nazareth")
    HROfficer.objects.create(user=other, organisation=nazareth)
    services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\n"), gamma, officer, filename="r.csv")
    services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\n"), nazareth, other, filename="r.csv")
    first = RosterClaim.objects.get(organisation=gamma)
    path = link_path(OutboxMessage.objects.get(key=f"roster-claim:{first.pk}"))
    client.post(path, {"decision": "confirm"})
    eli = Person.objects.get(email="eli@gmail.com")
    assert eli.organisation == gamma and eli.on_roster
    assert RosterClaim.objects.get(organisation=nazareth).status == RosterClaim.Status.SUPERSEDED


def test_declining_changes_nothing(client, gamma, officer):
    services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\n"), gamma, officer, filename="r.csv")
    path = link_path(OutboxMessage.objects.get(key__startswith="roster-claim:"))
    response = client.post(path, {"decision": "decline"})
    assert b'data-testid="claim-declined"' in response.content
    assert not Person.objects.filter(email="eli@gmail.com").exists()
    assert RosterClaim.objects.get().status == RosterClaim.Status.DECLINED


def test_a_forged_or_tampered_link_is_a_clear_error(client, gamma, officer):
    services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\n"), gamma, officer, filename="r.csv")
    path = link_path(OutboxMessage.objects.get(key__startswith="roster-claim:"))
    assert client.get(path[:-3] + "xyz/").status_code == 400
    assert client.post(reverse("accounts:roster_claim", args=["garbage"]), {"decision": "confirm"}).status_code == 400
    assert not Person.objects.filter(email="eli@gmail.com").exists()


def test_only_staff_decide_in_the_admin(client, gamma, officer):
    services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\n"), gamma, officer, filename="r.csv")
    claim = RosterClaim.objects.get()
    with pytest.raises(PermissionError):
        services.confirm_roster_claim(claim, by=officer)
    client.force_login(officer)
    client.post(reverse("academy_roster_claim_decide", args=[claim.pk]), {"decision": "confirm"})
    claim.refresh_from_db()
    assert claim.status == RosterClaim.Status.PENDING
    staff = get_user_model().objects.create_superuser("office", "office@example.coop", "pw")
    client.force_login(staff)
    listing = client.get(reverse("academy_roster_claims"))
    assert listing.status_code == 200 and b"eli@gmail.com" in listing.content
    client.post(reverse("academy_roster_claim_decide", args=[claim.pk]), {"decision": "confirm"})
    eli = Person.objects.get(email="eli@gmail.com")
    assert eli.organisation == gamma and eli.organisation_source == OrganisationSource.STAFF
    claim.refresh_from_db()
    assert claim.status == RosterClaim.Status.CONFIRMED and claim.decided_by == staff


def test_a_bad_row_records_no_claim_and_sends_nothing(gamma, officer):
    report = services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\nBad,Row,,,\n"), gamma, officer,
                                    filename="r.csv")
    assert not report.ok and report.pending == 0
    assert not RosterClaim.objects.exists() and not OutboxMessage.objects.exists()


def test_staff_imports_apply_to_any_domain(gamma):
    staff = get_user_model().objects.create_user("office", is_staff=True)
    report = services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\n"), gamma, staff, filename="r.csv")
    assert report.created == 1 and report.pending == 0
    assert Person.objects.get(email="eli@gmail.com").organisation_source == OrganisationSource.STAFF


def test_erasure_removes_claims_and_export_lists_them(gamma, officer):
    services.import_roster(roster("Eli,Rosa,eli@gmail.com,,\n"), gamma, officer, filename="r.csv")
    eli = Person.objects.create(first_name="Eli", last_name="Rosa", email="eli@gmail.com")
    exported = privacy.export_person_data(eli)
    assert exported["roster_claims"][0]["organisation"] == "Cooperativa Gruppo Gamma"
    privacy.anonymise_person(eli)
    assert not RosterClaim.objects.exists()


def test_hr_page_tells_the_officer_about_pending_rows(client, gamma, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    upload = SimpleUploadedFile("r.csv", (HEADER + "Eli,Rosa,eli@gmail.com,,\n").encode(), content_type="text/csv")
    response = client.post(reverse("hr:import", args=["roster"]), {"file": upload}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 indirizzo" in text or "1 address" in text


def test_claim_emails_per_officer_are_limited_per_hour_and_the_rest_wait_for_staff(gamma, officer, admin_user,
                                                                                    settings):
    """Issue 23 item 3: a file of made-up outside addresses sends at most the hourly allowance of e-mails;
    the rest wait for staff, who send them (or decline the rows)."""
    settings.ACADEMY_ROSTER_CLAIM_EMAILS_PER_HOUR = 10
    rows = "".join(f"Persona,Numero{n},persona{n}@altrove.example,,\n" for n in range(30))
    report = services.import_roster(roster(rows), gamma, officer, filename="r.csv")

    assert report.ok and report.pending == 30 and report.held == 20
    assert OutboxMessage.objects.filter(key__startswith="roster-claim:").count() == 10
    held = RosterClaim.objects.filter(held=True)
    assert held.count() == 20

    again = services.import_roster(roster("Altra,Persona,altra@altrove.example,,\n"), gamma, officer, filename="r.csv")
    assert again.held == 1 and OutboxMessage.objects.filter(key__startswith="roster-claim:").count() == 10

    claim = held.first()
    with pytest.raises(PermissionError):
        services.release_roster_claim(claim, by=officer)
    services.release_roster_claim(claim, by=admin_user)
    claim.refresh_from_db()
    assert not claim.held and OutboxMessage.objects.filter(key=f"roster-claim:{claim.pk}", to=claim.email).exists()


def test_staff_send_a_held_claim_email_from_the_admin(gamma, officer, admin_client, settings):
    settings.ACADEMY_ROSTER_CLAIM_EMAILS_PER_HOUR = 0
    services.import_roster(roster("Anna,Esterna,anna@altrove.example,,\n"), gamma, officer, filename="r.csv")
    claim = RosterClaim.objects.get()
    assert claim.held and not OutboxMessage.objects.exists()
    assert "anna@altrove.example" in admin_client.get(reverse("academy_roster_claims")).content.decode()

    admin_client.post(reverse("academy_roster_claim_decide", args=[claim.pk]), {"decision": "send"})

    claim.refresh_from_db()
    assert not claim.held and claim.status == RosterClaim.Status.PENDING
    assert OutboxMessage.objects.filter(to="anna@altrove.example").count() == 1
