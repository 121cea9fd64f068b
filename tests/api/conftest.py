"""API clients: tokens are made through the service a member's page uses."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from academy.api import tokens
from academy.network.models import HROfficer
from tests.funding.conftest import funded  # noqa: F401  (a funded plan with three learners)


@pytest.fixture
def api():
    """``api(token=None)``: a client sending ``Authorization: Bearer <token>`` when given one."""

    def factory(token: str | None = None) -> APIClient:
        client = APIClient()
        if token:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return factory


@pytest.fixture
def token_for():
    def factory(user, scope: str = "read", days: int = 30) -> str:
        return tokens.create_personal_token(user, name="test", scope=scope, days=days)[1]

    return factory


@pytest.fixture
def hr_officer(site, make_person):
    """An HR officer of Cooperativa Gruppo Gamma (an account with a person of its own)."""

    def factory(org_name: str = "Cooperativa Gruppo Gamma"):
        org = site.organisations[org_name]
        person = make_person(org=org)
        HROfficer.objects.create(user=person.user, organisation=org)
        return person.user

    return factory


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user("staff@academy.example", "staff@academy.example", "pw-12345!",
                                                is_staff=True)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
