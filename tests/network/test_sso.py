"""Sign in with Microsoft against the OpenID provider emulator (tests/fakes/oidc_emulator): the real
protocol over loopback HTTP, with allauth's client and the Academy's checks and linking rules."""

from __future__ import annotations

import copy
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.urls import reverse

from academy.core.models import OutboxMessage
from academy.network import services
from academy.network.models import EntraTenant, HROfficer, Person
from academy.network.sso import tenants
from tests.fakes.oidc_emulator import OIDCEmulator

GAMMA_TENANT = "0b1f4c1e-7d1a-4c51-9a43-2f0e3a7d9c10"
OTHER_TENANT = "5d7e9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"


@pytest.fixture
def emulator():
    server = OIDCEmulator().start()
    yield server
    server.stop()


@pytest.fixture
def microsoft(settings, emulator):
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = [{
        "provider_id": "microsoft", "name": "Microsoft", "client_id": emulator.client_id,
        "secret": emulator.client_secret,
        "settings": {"server_url": emulator.authority, "fetch_userinfo": False,
                     "token_auth_method": "client_secret_post", "scope": ["openid", "profile", "email"]}}]
    settings.SOCIALACCOUNT_PROVIDERS = providers
    cache.clear()  # signing keys and seen tokens of an earlier test's emulator
    return emulator


@pytest.fixture
def gamma_tenant(member_org, site):
    staff = get_user_model().objects.create_user("staff-tenants@example.coop", is_staff=True)
    return tenants.propose_tenant(member_org, GAMMA_TENANT, by=staff)


def identity(tid: str = GAMMA_TENANT, email: str = "anna.rossi@gruppogamma.coop", **claims) -> dict:
    return {"tid": tid, "oid": str(uuid.uuid4()), "email": email, "given_name": "Anna", "family_name": "Rossi",
            "name": "Anna Rossi", "preferred_username": email, **claims}


def sign_in(client, emulator, who: dict, *, next_url: str = ""):
    """Press the button, let the emulator authenticate ``who``, come back to the callback."""
    emulator.next_identity = who
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "microsoft"}),
                           {"next": next_url} if next_url else {})
    assert response.status_code == 302 and response["Location"].startswith(emulator.base_url), response
    answer = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_registered_tenant_worker_is_a_member_without_password_or_email(client, microsoft, gamma_tenant, member_org,
                                                                        settings):
    who = identity()
    response = sign_in(client, microsoft, who)
    assert response.status_code == 302 and response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    user = signed_in_user(client)
    assert user is not None and not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == f"{GAMMA_TENANT}:{who['oid']}"
    person = Person.objects.get(user=user)
    assert person.organisation == member_org and services.eligibility(person).eligible
    assert not OutboxMessage.objects.exists() and not person.email_verified  # no e-mail round trip


def test_the_request_carries_pkce_nonce_and_state(client, microsoft, gamma_tenant):
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "microsoft"}))
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0] and "openid" in query["scope"][0].split()


def test_same_identity_is_the_same_account_whatever_its_email_claim(client, microsoft, gamma_tenant):
    who = identity()
    sign_in(client, microsoft, who)
    first = signed_in_user(client)
    client.logout()
    sign_in(client, microsoft, {**who, "email": "someone.else@gruppogamma.coop"})
    assert signed_in_user(client) == first


def test_unknown_tenant_gives_an_ordinary_account_that_must_verify(client, microsoft, gamma_tenant):
    sign_in(client, microsoft, identity(tid=OTHER_TENANT, email="luca@altra.example"))
    person = Person.objects.get(user=signed_in_user(client))
    assert person.organisation is None and not services.eligibility(person).eligible
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["luca@altra.example"]  # verification


def test_email_claim_of_another_tenant_takes_over_nothing(client, microsoft, gamma_tenant, make_person, member_org):
    victim = make_person(org=member_org, email="vittima@gruppogamma.coop")
    response = sign_in(client, microsoft, identity(tid=OTHER_TENANT, email=victim.email))
    assert response.status_code == 403 and signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_email_claim_outside_the_tenants_own_domain_takes_over_nothing(client, microsoft, gamma_tenant, make_person,
                                                                        site):
    nazareth = site.organisations["Cooperativa Nazareth"]
    victim = make_person(org=nazareth, email=f"vittima@{nazareth.domains[0]}")
    response = sign_in(client, microsoft, identity(email=victim.email))  # Gamma's tenant, Nazareth's address
    assert response.status_code == 403 and signed_in_user(client) is None


def test_registered_tenant_links_the_existing_account_on_its_verified_domain(client, microsoft, gamma_tenant,
                                                                              make_person, member_org):
    worker = make_person(org=member_org, email="giulia@gruppogamma.coop")
    sign_in(client, microsoft, identity(email=worker.email))
    assert signed_in_user(client) == worker.user


def test_an_hr_officer_account_is_never_linked_by_the_claim(client, microsoft, gamma_tenant, make_person, member_org):
    officer = make_person(org=member_org, email="hr@gruppogamma.coop")
    HROfficer.objects.create(user=officer.user, organisation=member_org)
    response = sign_in(client, microsoft, identity(email=officer.email))
    assert response.status_code == 403 and signed_in_user(client) is None


def test_a_removed_tenant_stops_giving_membership(client, microsoft, gamma_tenant):
    staff = gamma_tenant.decided_by
    who = identity()
    sign_in(client, microsoft, who)
    person = Person.objects.get(user=signed_in_user(client))
    assert services.eligibility(person).eligible
    tenants.remove_tenant(gamma_tenant, by=staff)
    client.logout()
    sign_in(client, microsoft, who)
    person.refresh_from_db()
    assert not services.eligibility(person).eligible
    assert EntraTenant.objects.get().status == EntraTenant.Status.REMOVED


@pytest.mark.parametrize("tamper", [
    {"aud": "another-application"},
    {"expired": True},
    {"nonce": "not-the-nonce-of-this-sign-in"},
    {"iss": "https://login.example/another-tenant/v2.0"},
    {"unpublished_key": True},
], ids=["wrong audience", "expired", "wrong nonce", "issuer of another tenant", "unknown key"])
def test_bad_tokens_sign_nobody_in(client, microsoft, gamma_tenant, tamper):
    microsoft.tamper = tamper
    response = sign_in(client, microsoft, identity())
    assert response.status_code != 302 or "callback" not in response.get("Location", "")
    assert signed_in_user(client) is None and not SocialAccount.objects.exists()


def test_a_replayed_token_signs_nobody_in(client, microsoft, gamma_tenant):
    who = identity()
    sign_in(client, microsoft, who)
    client.logout()
    microsoft.tamper = {"replay": True}
    sign_in(client, microsoft, who)
    assert signed_in_user(client) is None


def test_a_replayed_callback_signs_nobody_in(client, microsoft, gamma_tenant):
    microsoft.next_identity = identity()
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "microsoft"}))
    callback = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    client.get(f"{callback.path}?{callback.query}")
    client.logout()
    client.get(f"{callback.path}?{callback.query}")  # the same code and state again
    assert signed_in_user(client) is None


def test_rotated_keys_are_fetched_again(client, microsoft, gamma_tenant):
    sign_in(client, microsoft, identity())
    client.logout()
    microsoft.rotate_keys(keep_old=False)
    sign_in(client, microsoft, identity(email="nuovo@gruppogamma.coop"))
    assert signed_in_user(client) is not None
    assert microsoft.requests.count(("GET", "/organizations/discovery/v2.0/keys")) == 2


def test_the_button_shows_only_when_configured(client, site, settings):
    assert b'data-testid="microsoft-login"' not in client.get(reverse("accounts:login")).content
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = [{"provider_id": "microsoft", "name": "Microsoft", "client_id": "x",
                                            "secret": "y", "settings": {"server_url": "http://127.0.0.1:9"}}]
    settings.SOCIALACCOUNT_PROVIDERS = providers
    assert b'data-testid="microsoft-login"' in client.get(reverse("accounts:login")).content
    assert b'data-testid="microsoft-login"' in client.get(reverse("accounts:signup")).content


def test_unconfigured_sign_in_is_a_404(client, site):
    # (LocaleMiddleware answers a 404 outside the language prefix with a redirect into it, then 404s.)
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "microsoft"}), follow=True)
    assert response.status_code == 404 and all(url.startswith("/") for url, _status in response.redirect_chain)


def test_export_and_erasure_cover_identities_and_second_factors(make_person, member_org):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from academy.network.privacy import anonymise_person, export_person_data

    person = make_person(org=member_org)
    SocialAccount.objects.create(user=person.user, provider="microsoft", uid=f"{GAMMA_TENANT}:abc",
                                 extra_data={"id_token": {"name": "Anna Rossi", "tid": GAMMA_TENANT}})
    Authenticator.objects.create(user=person.user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    EmailAddress.objects.create(user=person.user, email=person.email)  # allauth's copy after a Microsoft sign-in
    exported = export_person_data(person)["sign_in_methods"]
    assert exported["identities"][0]["tenant_and_object_id"] == f"{GAMMA_TENANT}:abc"
    assert exported["second_factors"][0]["type"] == "totp" and "JBSWY3DPEHPK3PXP" not in str(exported)
    user_id = person.user_id
    anonymise_person(person)
    assert not SocialAccount.objects.filter(user_id=user_id).exists()
    assert not Authenticator.objects.filter(user_id=user_id).exists()
    assert not EmailAddress.objects.filter(user_id=user_id).exists()


def test_an_unregistered_tenant_cannot_squat_a_member_address(client, microsoft, gamma_tenant):
    response = sign_in(client, microsoft, identity(tid=OTHER_TENANT, email="nuova.collega@gruppogamma.coop"))
    assert response.status_code == 403 and signed_in_user(client) is None
    assert not Person.objects.filter(email="nuova.collega@gruppogamma.coop").exists()


def test_the_worker_comes_back_to_the_course_they_started_from(client, microsoft, gamma_tenant):
    response = sign_in(client, microsoft, identity(), next_url="/it/programma/un-corso/")
    assert response.status_code == 302 and response["Location"] == "/it/programma/un-corso/"
    assert signed_in_user(client) is not None


def test_an_outside_next_is_ignored(client, microsoft, gamma_tenant, settings):
    response = sign_in(client, microsoft, identity(), next_url="https://evil.example/")
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_a_guest_of_the_registered_tenant_is_not_its_staff(client, microsoft, gamma_tenant):
    guest = identity(email="consulente@gruppogamma.coop", idp="https://sts.windows.net/another-home-tenant/")
    response = sign_in(client, microsoft, guest)
    assert response.status_code == 403 and signed_in_user(client) is None  # no membership, no squatting
