"""What a sign-in with Microsoft and a second factor leave behind, against the privacy notice: only the
identifiers, names, address and method the notice lists are kept (no token, no other claim); the
download shows them without secrets or keys; erasure removes them, and the same Microsoft account
signing in again starts a new account instead of reviving the erased one."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model

from academy.network.models import Person
from academy.network.privacy import anonymise_person, export_person_data
from tests.network.test_sso import (  # noqa: F401 (fixtures)
    GAMMA_TENANT,
    emulator,
    gamma_tenant,
    identity,
    microsoft,
    sign_in,
    signed_in_user,
)

# Claims a real Microsoft token may carry beyond what the Academy needs; none of them may be kept.
UNNEEDED_CLAIMS = {"ipaddr": "203.0.113.7", "upn": "anna.rossi@gruppogamma.onmicrosoft.com",
                   "unique_name": "anna.rossi@gruppogamma.onmicrosoft.com", "groups": ["hr-all", "payroll"],
                   "wids": ["62e90394-69f5-4237-9190-012177145e10"], "xms_pl": "it-IT", "ctry": "IT"}


def test_a_sign_in_keeps_only_what_the_notice_lists(client, microsoft, gamma_tenant):  # noqa: F811
    who = identity(amr=["pwd", "mfa"], **UNNEEDED_CLAIMS)
    sign_in(client, microsoft, who)
    account = SocialAccount.objects.get(user=signed_in_user(client))
    kept = account.extra_data["id_token"]
    assert {kept["tid"], kept["oid"], kept["email"], kept["name"], kept["given_name"], kept["family_name"]} == {
        GAMMA_TENANT, who["oid"], who["email"], "Anna Rossi", "Anna", "Rossi"}
    assert kept["amr"] == ["pwd", "mfa"]  # "the authentication method it reports"
    assert not set(UNNEEDED_CLAIMS) & set(kept), kept
    assert microsoft.last_id_token not in str(account.extra_data)
    assert not SocialToken.objects.exists()  # "we do not keep Microsoft's access tokens"


def test_the_download_shows_identities_and_factors_without_secrets(client, microsoft, gamma_tenant):  # noqa: F811
    who = identity()
    sign_in(client, microsoft, who)
    user = signed_in_user(client)
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={
        "name": "Telefono di Anna", "credential": {"response": {"attestationObject": "o2NmbXRkbm9uZWdhdHRTdG10"}}})
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES,
                                 data={"seed": "5f1e0d2c3b4a59687766554433221100", "used_mask": 0})
    exported = export_person_data(Person.objects.get(user=user))["sign_in_methods"]
    assert [i["tenant_and_object_id"] for i in exported["identities"]] == [f"{GAMMA_TENANT}:{who['oid']}"]
    assert exported["identities"][0]["claims"]["email"] == who["email"]
    assert sorted(f["type"] for f in exported["second_factors"]) == ["recovery_codes", "webauthn"]
    assert "o2NmbXRk" not in str(exported) and "5f1e0d2c" not in str(exported)  # no key, no seed


def test_erasure_removes_the_link_and_a_new_sign_in_is_a_new_account(client, microsoft, gamma_tenant):  # noqa: F811
    who = identity()
    sign_in(client, microsoft, who)
    erased_user = signed_in_user(client)
    Authenticator.objects.create(user=erased_user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.logout()
    anonymise_person(Person.objects.get(user=erased_user))
    assert not SocialAccount.objects.filter(user=erased_user).exists()
    assert not Authenticator.objects.filter(user=erased_user).exists()

    sign_in(client, microsoft, who)
    again = signed_in_user(client)
    assert again is not None and again != erased_user
    assert Person.objects.get(user=again).email == who["email"]
    erased = get_user_model().objects.get(pk=erased_user.pk)
    assert not erased.is_active and Person.objects.filter(anonymised_at__isnull=False).count() == 1


@pytest.mark.parametrize(("url", "phrases"), [
    ("/it/privacy/", ["Accesso con Microsoft e secondo fattore", "tid e oid", "non conserviamo i token",
                      "passkey", "codici di recupero", "download dei tuoi dati", "cancellati"]),
    ("/en/privacy/", ["Sign-in with Microsoft and second factor", "tid and oid", "we do not keep Microsoft",
                      "passkey", "recovery codes", "data download", "deleted when you erase"]),
])
def test_the_notice_tells_what_a_sign_in_and_a_second_factor_keep(client, site, url, phrases):
    text = client.get(url).content.decode()
    assert [phrase for phrase in phrases if phrase not in text] == []
