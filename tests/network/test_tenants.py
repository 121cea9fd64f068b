"""Registering an organisation's Microsoft tenant: staff register, an HR officer proposes and staff confirm."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from academy.network.models import EntraTenant, HROfficer
from academy.network.sso import tenants

TENANT = "0b1f4c1e-7d1a-4c51-9a43-2f0e3a7d9c10"


@pytest.fixture
def officer(make_person, member_org):
    user = make_person(org=member_org, email="hr.tenant@gruppogamma.coop").user
    HROfficer.objects.create(user=user, organisation=member_org)
    return user


def test_an_officers_proposal_counts_only_once_staff_confirm_it(client, officer, member_org):
    client.force_login(officer)
    response = client.post(reverse("accounts:tenants"), {"organisation": member_org.pk, "tenant_id": TENANT})
    assert response.status_code == 302
    row = EntraTenant.objects.get()
    assert row.status == EntraTenant.Status.PROPOSED and tenants.organisation_for_tenant(TENANT) is None
    staff = get_user_model().objects.create_user("staff.t@example.coop", is_staff=True)
    tenants.confirm_tenant(row, by=staff)
    assert tenants.organisation_for_tenant(TENANT) == member_org


def test_an_officer_cannot_confirm_nor_propose_for_another_organisation(officer, site):
    nazareth = site.organisations["Cooperativa Nazareth"]
    with pytest.raises(PermissionDenied):
        tenants.propose_tenant(nazareth, TENANT, by=officer)
    row = tenants.propose_tenant(officer.hr_roles.get().organisation, TENANT, by=officer)
    with pytest.raises(PermissionDenied):
        tenants.confirm_tenant(row, by=officer)


def test_a_tenant_belongs_to_one_organisation_and_must_be_a_guid(officer, site, member_org):
    staff = get_user_model().objects.create_user("staff.u@example.coop", is_staff=True)
    tenants.propose_tenant(member_org, TENANT, by=staff)
    with pytest.raises(ValidationError):
        tenants.propose_tenant(site.organisations["Cooperativa Nazareth"], TENANT, by=staff)
    with pytest.raises(ValidationError):
        tenants.propose_tenant(member_org, "not-a-guid", by=staff)


def test_the_tenant_page_is_for_hr_officers_only(client, make_person, member_org):
    client.force_login(make_person(org=member_org).user)
    assert client.get(reverse("accounts:tenants")).status_code == 403


@pytest.mark.parametrize("organisation", ["", "abc", "999999"])
def test_a_bad_organisation_is_a_message_on_both_tenant_pages(client, officer, organisation):
    staff = get_user_model().objects.create_user("staff.v@example.coop", is_staff=True, is_superuser=True)
    for user, page in ((officer, "accounts:tenants"), (staff, "academy_tenants")):
        client.force_login(user)
        response = client.post(reverse(page), {"organisation": organisation, "tenant_id": TENANT}, follow=True)
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == ["Scegli un'organizzazione."]
    assert not EntraTenant.objects.exists()


def test_the_office_registers_a_tenant_at_once(client, member_org, site):
    staff = get_user_model().objects.create_user("staff.w@example.coop", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.post(reverse("academy_tenants"), {"organisation": member_org.pk, "tenant_id": TENANT})
    assert response.status_code == 302
    assert tenants.organisation_for_tenant(TENANT) == member_org
