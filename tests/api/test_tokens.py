"""Personal and organisation tokens: shown once, stored hashed, scoped, expiring, revocable."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from academy.api import tokens
from academy.api.models import ApiToken
from academy.network.models import HROfficer

pytestmark = pytest.mark.django_db


def test_the_page_shows_a_new_token_once_and_stores_only_its_digest(client, make_person):
    person = make_person()
    client.force_login(person.user)
    response = client.post(reverse("api_tokens:list"), {"name": "Paghe", "scope": "read", "days": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("acad_") and secret.encode() in response.content
    assert response["Cache-Control"] == "private, no-store"
    token = ApiToken.objects.get(user=person.user)
    assert secret not in (token.digest, token.prefix) and token.digest == tokens.digest_of(secret)
    again = client.get(reverse("api_tokens:list"))
    assert secret.encode() not in again.content and token.prefix.encode() in again.content


def test_a_token_authenticates_until_revoked(api, make_person, token_for):
    person = make_person()
    secret = token_for(person.user)
    assert api(secret).get("/api/v1/me/registrations/").status_code == 200
    token = ApiToken.objects.get(user=person.user)
    assert token.last_used_at is not None
    tokens.revoke(token, by=person.user)
    response = api(secret).get("/api/v1/me/registrations/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(api, make_person, token_for):
    person = make_person()
    secret = token_for(person.user)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api(secret).get("/api/v1/me/registrations/").status_code == 401


def test_someone_else_cannot_revoke_a_token_and_the_page_hides_it(client, make_person, token_for):
    owner, other = make_person(), make_person()
    token_for(owner.user)
    token = ApiToken.objects.get(user=owner.user)
    with pytest.raises(PermissionDenied):
        tokens.revoke(token, by=other.user)
    client.force_login(other.user)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("days", [0, 366])
def test_a_token_lasts_one_day_to_a_year(make_person, days):
    with pytest.raises(ValidationError):
        tokens.create_personal_token(make_person().user, name="x", days=days)


def test_an_organisation_token_is_issued_by_staff_to_an_officer_and_dies_with_the_role(
        api, site, hr_officer, staff_user, make_person):
    officer = hr_officer()
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    with pytest.raises(PermissionDenied):
        tokens.issue_organisation_token(by=officer, officer=officer, organisation=gamma, name="x")
    with pytest.raises(ValidationError):
        tokens.issue_organisation_token(by=staff_user, officer=make_person().user, organisation=gamma, name="x")
    _token, secret = tokens.issue_organisation_token(by=staff_user, officer=officer, organisation=gamma, name="HR")
    assert api(secret).get("/api/v1/hr/people/").status_code == 200
    HROfficer.objects.filter(user=officer).delete()
    assert api(secret).get("/api/v1/hr/people/").status_code == 401


def test_erasure_deletes_tokens_and_unlinks_the_access_log_which_is_purged_after_its_period(
        api, make_person, hr_officer, token_for, settings):
    from academy.api.models import ApiAccessLog
    from academy.api.tasks import purge_access_log
    from academy.network.privacy import anonymise_person, export_person_data

    officer = hr_officer()
    api(token_for(officer)).get("/api/v1/hr/people/")
    person = officer.person
    assert export_person_data(person)["api_tokens"][0]["name"] == "test"
    anonymise_person(person, by=None)
    assert not ApiToken.objects.exists()
    entry = ApiAccessLog.objects.get()
    assert entry.user_id is None
    settings.API_ACCESS_LOG_DAYS = 30
    assert purge_access_log(None, now=timezone.now()) == 0
    assert purge_access_log(None, now=timezone.now() + datetime.timedelta(days=31)) == 1
