"""Membership: the eligibility matrix, sign-up with e-mail verification, membership requests decided by
staff, and atomic imports of organisations and rosters (a bad row imports nothing)."""

from __future__ import annotations

import base64
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from academy.core.models import OutboxMessage
from academy.network import privacy, services
from academy.network.models import HROfficer, MembershipRequest, Organisation, Person

pytestmark = pytest.mark.django_db

VALID_CF = "RSSMRA85T10A562S"


@pytest.mark.parametrize(
    "domain_member, verified, on_roster, org_active, approved, expected",
    [
        (True, True, False, True, False, True),     # verified member domain
        (True, False, False, True, False, False),   # member domain but not verified
        (False, True, False, True, False, False),   # verified, foreign domain
        (False, False, True, True, False, True),    # on the roster of an active member
        (False, False, True, False, False, False),  # on the roster of a lapsed member
        (False, True, False, True, True, True),     # approved by staff
        (True, True, False, False, False, False),   # member domain of a lapsed organisation
    ],
)
def test_eligibility_matrix(site, domain_member, verified, on_roster, org_active, approved, expected):
    org = site.organisations["Cooperativa Gruppo Gamma"]
    if not org_active:
        org.member_until = timezone.localdate() - datetime.timedelta(days=1)
        org.save()
    email = "anna@gruppogamma.coop" if domain_member else "anna@gmail.com"
    person = Person.objects.create(first_name="Anna", last_name="B", email=email, organisation=org,
                                   email_verified=verified, on_roster=on_roster, membership_approved=approved)
    result = services.eligibility(person)
    assert result.eligible is expected
    assert result.reason
    if expected and (domain_member or on_roster):
        assert result.organisation == org


def test_eligibility_reasons_explain(site):
    assert not services.eligibility(None).eligible
    person = Person.objects.create(first_name="X", last_name="Y", email="x@gmail.com", email_verified=True)
    assert "gmail.com" in services.eligibility(person).reason


def test_signup_verify_links_and_makes_member(site, client):
    response = client.post(reverse("accounts:signup"), {
        "first_name": "Marta", "last_name": "Neri", "email": "Marta.Neri@GruppoGamma.coop",
        "job_role": "educatrice", "preferred_language": "it",
        "password1": "a-Long-passw0rd!", "password2": "a-Long-passw0rd!"})
    assert response.status_code == 200
    person = Person.objects.get(email="marta.neri@gruppogamma.coop")
    assert not services.eligibility(person).eligible  # not verified yet
    message = OutboxMessage.objects.get(key__startswith=f"account:{person.user_id}:verify:")
    url = re.search(r"https?://\S+", message.body).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    token = path.split("/verify/", 1)[1].split("/", 1)[0]
    readable = base64.urlsafe_b64decode(token.split(":")[0] + "==")  # what anyone seeing the link can read
    assert b"marta" not in readable.lower() and b"gruppogamma" not in readable.lower()  # issue 27: opaque
    response = client.get("/" + path)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_verified and services.eligibility(person).eligible
    assert person.organisation.name == "Cooperativa Gruppo Gamma"
    assert client.get("/it/accounts/verify/garbage/").status_code == 400


def test_signup_claims_roster_entry_only_after_verification(site):
    org = site.organisations["Cooperativa Nazareth"]
    roster = Person.objects.create(first_name="Luca", last_name="Verdi", email="luca@gmail.com",
                                   organisation=org, on_roster=True)
    user = services.sign_up(first_name="Luca", last_name="Verdi", email="luca@gmail.com",
                            password="a-Long-passw0rd!")
    roster.refresh_from_db()
    assert roster.user_id is None  # not linked before the mailbox is proven
    person, first_time = services.verify_email(services.verification_token(user))
    assert person.pk == roster.pk and person.user == user and first_time
    # a second sign-up with the address creates nothing (its owner gets a notice instead)
    assert services.sign_up(first_name="L", last_name="V", email="LUCA@gmail.com",
                            password="a-Long-passw0rd!") is None


def test_a_verification_link_is_bound_to_the_address_it_was_sent_to(site):
    from django.core import signing

    from academy.network.links import address_digest

    user = services.sign_up(first_name="Eva", last_name="Bo", email="eva@gmail.com", password="a-Long-passw0rd!")
    token = services.verification_token(user)
    user.email = "altro@gmail.com"  # the account's address changed since the mail was sent
    user.save()
    with pytest.raises(services.SignupError):
        services.verify_email(token)
    forged = signing.dumps({"u": user.pk, "h": address_digest("eva@gmail.com", "other-purpose")},
                           salt=services.VERIFY_SALT)
    with pytest.raises(services.SignupError):
        services.verify_email(forged)
    person, _first = services.verify_email(services.verification_token(user))
    assert person.user == user and person.email_verified  # a link for the current address works


def test_membership_request_decided_by_staff(site, client):
    User = get_user_model()
    user = User.objects.create_user("p@gmail.com", "p@gmail.com", "pw-12345!")
    person = Person.objects.create(user=user, first_name="P", last_name="Q", email="p@gmail.com",
                                   email_verified=True)
    client.force_login(user)
    page = client.get(reverse("accounts:membership_request"))
    assert "gmail.com" in page.content.decode()
    client.post(reverse("accounts:membership_request"), {"organisation_name": "Cooperativa Cosper",
                                                          "message": "Lavoro lì"})
    request = MembershipRequest.objects.get(person=person)
    assert request.organisation == site.organisations["Cooperativa Cosper"]
    with pytest.raises(PermissionError):
        services.decide_membership_request(request, approve=True, by=user)
    staff = User.objects.create_user("staff", is_staff=True)
    services.decide_membership_request(request, approve=True, by=staff)
    person.refresh_from_db()
    assert person.membership_approved and services.eligibility(person).eligible
    assert person.organisation == site.organisations["Cooperativa Cosper"]
    assert OutboxMessage.objects.filter(key=f"membership:{request.pk}:approved", to="p@gmail.com").exists()


def test_admin_membership_view_staff_only(site, client):
    User = get_user_model()
    member = User.objects.create_user("m")
    client.force_login(member)
    assert client.get(reverse("academy_membership_requests")).status_code in (302, 403)
    staff = User.objects.create_superuser("admin", "admin@example.coop", "pw")
    client.force_login(staff)
    assert client.get(reverse("academy_membership_requests")).status_code == 200


ROSTER_HEADER = "first_name,last_name,email,fiscal_code,job_role\n"


def test_roster_import_ok_and_people_become_eligible(site):
    org = site.organisations["Cooperativa Cosper"]
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    csv = ROSTER_HEADER + f"Anna,Bianchi,anna@gmail.com,{VALID_CF},OSS\nBruno,Rossi,Bruno@Libero.it,,\n"
    report = services.import_roster(io.BytesIO(csv.encode()), org, staff, filename="r.csv")
    assert report.ok and report.created == 2
    anna = Person.objects.get(email="anna@gmail.com")
    assert anna.on_roster and anna.organisation == org and services.eligibility(anna).eligible
    assert Person.objects.filter(email="bruno@libero.it").exists()
    # re-import updates, does not duplicate
    report = services.import_roster(io.BytesIO(csv.encode()), org, staff, filename="r.csv")
    assert report.ok and report.updated == 2 and Person.objects.filter(organisation=org).count() == 2


def test_roster_import_with_bad_rows_imports_nothing_and_lists_every_bad_row(site):
    org = site.organisations["Cooperativa Cosper"]
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    csv = (ROSTER_HEADER
           + f"Anna,Bianchi,anna@gmail.com,{VALID_CF},OSS\n"      # line 2 ok
           + "Carlo,Neri,carlo@gmail.com,RSSMRA85T10A562X,\n"    # line 3 bad check character
           + "Dario,Blu,,,\n"                                   # line 4 no e-mail
           + "Anna,Bis,ANNA@gmail.com,,\n")                      # line 5 duplicate of line 2
    report = services.import_roster(io.BytesIO(csv.encode()), org, staff, filename="r.csv")
    assert not report.ok
    assert [line for line, _reason in report.errors] == [3, 4, 5]
    assert "codice fiscale" in report.errors[0][1]
    assert not Person.objects.filter(organisation=org).exists()


def test_roster_import_xlsx(site):
    org = site.organisations["Cooperativa Cosper"]
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["first_name", "last_name", "email", "fiscal_code", "job_role"])
    ws.append(["Eva", "Gialli", "eva@gmail.com", "", "educatrice"])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = services.import_roster(io.BytesIO(buffer.getvalue()), org, staff, filename="r.xlsx")
    assert report.ok and Person.objects.get(email="eva@gmail.com").on_roster


def test_roster_import_permissions(site, client):
    User = get_user_model()
    gamma, cosper = site.organisations["Cooperativa Gruppo Gamma"], site.organisations["Cooperativa Cosper"]
    hr = User.objects.create_user("hr")
    HROfficer.objects.create(user=hr, organisation=gamma)
    csv = ROSTER_HEADER + "Anna,Bianchi,anna@gmail.com,,\n"
    with pytest.raises(PermissionError):
        services.import_roster(io.BytesIO(csv.encode()), cosper, hr, filename="r.csv")
    assert services.import_roster(io.BytesIO(csv.encode()), gamma, hr, filename="r.csv").ok
    # an HR officer cannot move someone who works elsewhere
    Person.objects.create(first_name="Z", last_name="Z", email="z@gmail.com", organisation=cosper)
    report = services.import_roster(io.BytesIO((ROSTER_HEADER + "Z,Z,z@gmail.com,,\n").encode()), gamma, hr,
                                    filename="r.csv")
    assert not report.ok and report.errors[0][0] == 2
    # the HR page lists only their organisations; anyone else is refused
    client.force_login(hr)
    assert client.get(reverse("accounts:roster_import")).status_code == 200
    client.force_login(User.objects.create_user("nobody"))
    assert client.get(reverse("accounts:roster_import")).status_code == 403


def test_organisation_import_atomic(site):
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    parent = site.organisations["Consorzio Solco Cremona"].tax_code
    header = "name,kind,parent_tax_code,tax_code,email_domains,city,region,member_from,member_until\n"
    # A real partita IVA shape: python-stdnum also checks the provincial office code (digits 8-10).
    good = header + f"Coop Nuova,cooperative,{parent},07654320014,nuova.coop,Cremona,Lombardia,2024-01-01,\n"
    bad = good + ("Coop Rotta,cooperative,,12345678901,rotta.coop,,,,\n"
                  "Coop Strana,planet,,,strana.coop,,,,\n")
    report = services.import_organisations(io.BytesIO(bad.encode()), by_user=staff, filename="o.csv")
    assert [line for line, _r in report.errors] == [3, 4]
    assert not Organisation.objects.filter(name="Coop Nuova").exists()
    report = services.import_organisations(io.BytesIO(good.encode()), by_user=staff, filename="o.csv")
    assert report.ok and report.created == 1
    nuova = Organisation.objects.get(tax_code="07654320014")
    assert nuova.parent.name == "Consorzio Solco Cremona" and nuova.domains == ["nuova.coop"]
    assert services.organisation_for_domain("nuova.coop") == nuova


def test_export_and_anonymise(site, make_course, make_person):
    from academy.registrations import services as reg

    person = make_person(fiscal_code=VALID_CF)
    course = make_course()
    reg.register(person, course)
    data = privacy.export_person_data(person)
    assert data["person"]["email"] == person.email and data["registrations"][0]["status"] == "confirmed"
    user = person.user
    privacy.anonymise_person(person, by=user)
    person.refresh_from_db(), user.refresh_from_db()
    assert person.first_name == "Anonimo" and person.fiscal_code == "" and person.user is None
    assert person.email.endswith("@anonymised.invalid") and not user.is_active
    assert reg.counts(course)["cancelled"] == 1
