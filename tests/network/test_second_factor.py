"""The second-factor gate (academy.core.second_factor) for each role, through allauth's real pages; and a
Microsoft sign-in from a registered tenant counting as the second factor only when ``amr`` says MFA."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from academy.funding.models import FundedPlan
from academy.funding.services import inspectors
from academy.network.models import HROfficer
from tests.network.test_sso import GAMMA_TENANT, OTHER_TENANT, emulator, gamma_tenant, microsoft, sign_in  # noqa: F401
from tests.second_factor import PASSWORD, enrol_totp, totp


@pytest.fixture(autouse=True)
def _enforced(settings):
    settings.ACADEMY_SECOND_FACTOR_ENFORCED = True


def _staff(site):
    return get_user_model().objects.create_user("ufficio@example.coop", "ufficio@example.coop", PASSWORD,
                                                is_staff=True, is_superuser=True)


def _hr_officer(site, make_person, member_org):
    user = make_person(org=member_org, email="hr.gamma@gruppogamma.coop").user
    HROfficer.objects.create(user=user, organisation=member_org)
    return user


def _inspector(site):
    staff = get_user_model().objects.create_user("staff2@example.coop", is_staff=True)
    plan = FundedPlan.objects.create(title="Piano", plan_code="MFA/1", responsible_name="Resp",
                                     starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2030, 1, 1))
    now = timezone.now()
    access, _pw = inspectors.create_inspector(plan, name="Ispettore", email="isp@fondo.example", by=staff,
                                              valid_from=now - datetime.timedelta(days=1),
                                              valid_until=now + datetime.timedelta(days=1))
    access.user.set_password(PASSWORD)
    access.user.save()
    return access.user


ROLES = {
    "staff → admin": (lambda site, mp, org: _staff(site), "/admin/"),
    "staff → HR area": (lambda site, mp, org: _staff(site), "/it/hr/"),
    "HR officer → HR area": (_hr_officer, "/it/hr/"),
    "HR officer → roster import": (_hr_officer, "/it/accounts/roster/import/"),
    "inspector → inspector area": (lambda site, mp, org: _inspector(site), "/it/funding/inspector/"),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_must_enrol_then_gets_in(client, site, make_person, member_org, role):
    make_user, area = ROLES[role]
    user = make_user(site, make_person, member_org)
    client.force_login(user)
    response = client.get(area)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_index")), response
    enrol_totp(client)
    response = client.get(area)
    assert response.status_code == 200, (response.status_code, response.get("Location"))


def test_a_member_without_a_role_is_not_asked(client, site, make_person, member_org):
    client.force_login(make_person(org=member_org).user)
    assert client.get(reverse("my_academy")).status_code == 200


def test_a_new_session_proves_the_enrolled_factor_before_anything(client, site, make_person, member_org):
    user = _hr_officer(site, make_person, member_org)
    client.force_login(user)
    secret = enrol_totp(client)
    client.logout()
    cache.clear()  # allauth remembers used codes (one use per period); a real person waits for the next one
    client.force_login(user)  # the password sign-in
    response = client.get(reverse("my_academy"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp(secret)})
    assert response.status_code == 302
    assert client.get("/it/hr/").status_code == 200


def test_wrong_codes_do_not_open_the_area(client, site, make_person, member_org):
    user = _hr_officer(site, make_person, member_org)
    client.force_login(user)
    secret = enrol_totp(client)
    client.logout()
    client.force_login(user)
    wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"
    assert client.post(reverse("mfa_reauthenticate"), {"code": wrong}).status_code == 200  # the form again
    assert client.get("/it/hr/").status_code == 302


@pytest.mark.parametrize(("tid", "amr", "opens"), [
    (GAMMA_TENANT, ["pwd", "mfa"], True),
    (GAMMA_TENANT, ["pwd"], False),
    (OTHER_TENANT, ["pwd", "mfa"], False),
], ids=["registered tenant with MFA", "registered tenant without MFA", "unknown tenant with MFA"])
def test_microsoft_mfa_counts_only_from_a_registered_tenant(client, microsoft, gamma_tenant, make_person,  # noqa: F811
                                                             member_org, tid, amr, opens):
    user = _hr_officer(None, make_person, member_org)
    oid = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    SocialAccount.objects.create(user=user, provider="microsoft", uid=f"{tid}:{oid}")  # connected earlier
    sign_in(client, microsoft, {"tid": tid, "oid": oid, "email": "hr.gamma@gruppogamma.coop", "amr": amr})
    assert client.session.get("_auth_user_id") == str(user.pk)
    response = client.get("/it/hr/")
    assert (response.status_code == 200) is opens, (response.status_code, response.get("Location"))


def test_an_account_made_by_a_microsoft_sign_in_can_enrol_a_second_factor(client, microsoft, gamma_tenant,  # noqa: F811
                                                                           member_org):
    """No password to reauthenticate with and no e-mail verified in allauth's sense: enrolling must still work
    right after the sign-in, or an HR officer who only uses Microsoft could never open the HR area."""
    sign_in(client, microsoft, {"tid": GAMMA_TENANT, "oid": "9a1c6f0e-2b3d-4e5f-8a7b-6c5d4e3f2a1b",
                                "email": "ilaria@gruppogamma.coop", "amr": ["pwd"]})
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    HROfficer.objects.create(user=user, organisation=member_org)
    assert client.get("/it/hr/")["Location"].startswith(reverse("mfa_index"))
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(page.context["form"].secret)})
    assert response.status_code == 302 and Authenticator.objects.filter(user=user).exists()


def test_a_microsoft_only_account_signs_in_again_to_enrol_after_a_while(client, microsoft, gamma_tenant,  # noqa: F811
                                                                         settings):
    sign_in(client, microsoft, {"tid": GAMMA_TENANT, "oid": "0c2d7e1f-3a4b-4c5d-9e6f-7a8b9c0d1e2f",
                                "email": "ilaria@gruppogamma.coop", "amr": ["pwd"]})
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the sign-in is no longer recent
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302, response.status_code  # not allauth's 403: no way to reauthenticate
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
