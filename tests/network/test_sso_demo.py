"""The demo of "Accedi con Microsoft" against the emulator (tests/fakes/demo): its app and command exist
only when asked for and never in production; the settings it prints show the button, let the browser
post to the emulator (CSP form-action) and sign the standing account in as a member, over HTTPS."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from academy.network import services
from academy.network.models import EntraTenant, Person
from tests.fakes.demo import sso
from tests.network.test_sso import sign_in, signed_in_user

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import get_commands
apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
print(json.dumps({"installed": "tests.fakes.demo" in settings.INSTALLED_APPS,
                  "command": "oidc_emulator" in get_commands(),
                  "button": bool(apps), "authority": apps[0]["settings"]["server_url"] if apps else "",
                  "form_action": [str(s) for s in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]]}))
"""


def _settings_with(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("MICROSOFT_", "ACADEMY_", "DJANGO_", "DATABASE_URL"))}
    base |= {"DJANGO_SETTINGS_MODULE": "academy.settings", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "localhost"}
    result = subprocess.run([sys.executable, "-c", PROBE], env=base | env, cwd=django_settings.BASE_DIR,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_demo_command_exists_only_when_asked_for_and_never_in_production():
    plain = _settings_with(DJANGO_DEBUG="1")
    assert not plain["installed"] and not plain["command"]  # make run: no emulator, no button
    assert not plain["button"] and plain["form_action"] == ["'self'"]
    demo = _settings_with(DJANGO_DEBUG="1", ACADEMY_DEMO_EMULATORS="1")
    assert demo["installed"] and demo["command"]
    production = _settings_with(ACADEMY_ENV="production", ACADEMY_DEMO_EMULATORS="1")
    assert not production["installed"] and not production["command"]


def test_a_configured_authority_gets_the_button_and_the_form_action():
    configured = _settings_with(DJANGO_DEBUG="1", MICROSOFT_CLIENT_ID="academy-client",
                                MICROSOFT_AUTHORITY="https://127.0.0.1:8443/organizations/v2.0")
    assert configured["button"] and configured["authority"] == "https://127.0.0.1:8443/organizations/v2.0"
    assert configured["form_action"] == ["'self'", "https://127.0.0.1:8443"]


@pytest.fixture
def office(site):
    return get_user_model().objects.create_superuser("admin-demo", "admin@example.coop", "pw-12345!")


@pytest.fixture
def demo_emulator(office, settings, monkeypatch):
    emulator = sso.start(sso.DemoIdentity())
    env = sso.environment(emulator)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", env["REQUESTS_CA_BUNDLE"])
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = [{
        "provider_id": "microsoft", "name": "Microsoft", "client_id": env["MICROSOFT_CLIENT_ID"],
        "secret": env["MICROSOFT_CLIENT_SECRET"],
        "settings": {"server_url": env["MICROSOFT_AUTHORITY"], "fetch_userinfo": False,
                     "token_auth_method": "client_secret_post", "scope": ["openid", "profile", "email"]}}]
    settings.SOCIALACCOUNT_PROVIDERS = providers
    cache.clear()
    yield emulator
    emulator.stop()


def test_the_demo_account_signs_in_as_a_member_of_the_demo_cooperative(client, demo_emulator, site):
    assert demo_emulator.base_url.startswith("https://")
    assert EntraTenant.objects.get(tenant_id=sso.DEMO_TENANT).status == EntraTenant.Status.CONFIRMED
    sign_in(client, demo_emulator, demo_emulator.next_identity)
    user = signed_in_user(client)
    person = Person.objects.get(user=user)
    assert person.organisation == site.organisations[sso.DEMO_ORGANISATION]
    assert services.eligibility(person).eligible
    client.logout()
    sign_in(client, demo_emulator, demo_emulator.next_identity)  # the same account after a restart too
    assert signed_in_user(client) == user
    assert sso.DemoIdentity().claims()["oid"] == demo_emulator.next_identity["oid"]


def test_the_demo_says_what_is_missing(site, office):
    with pytest.raises(sso.DemoSetupError, match="No organisation"):
        sso.register_tenant("Cooperativa che non c'è", sso.DEMO_TENANT)
    office.delete()
    with pytest.raises(sso.DemoSetupError, match="ensure_admin"):
        sso.register_tenant(sso.DEMO_ORGANISATION, sso.DEMO_TENANT)

