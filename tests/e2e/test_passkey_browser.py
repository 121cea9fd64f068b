"""A staff member enrols a passkey and signs in with it, in Chromium with a virtual authenticator
(Chrome DevTools Protocol ``WebAuthn.enable`` / ``addVirtualAuthenticator``): allauth's WebAuthn pages,
the Academy's second-factor gate and its layout, with the Content-Security-Policy on."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from tests.e2e.test_browser import CHROMIUM, HAVE_CHROMIUM, browser_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]
PASSWORD = "pw-12345!"


def _password_sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/it/accounts/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_staff_enrols_a_passkey_and_signs_in_with_it(live_server, browser_page, settings, site):  # noqa: F811
    settings.ACADEMY_SECOND_FACTOR_ENFORCED = True
    staff = get_user_model().objects.create_user("ufficio@example.coop", "ufficio@example.coop", PASSWORD,
                                                 is_staff=True, is_superuser=True)
    page, base = browser_page, live_server.url
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})

    _password_sign_in(page, base, staff.username)
    assert "/auth/2fa/" in page.url  # the admin waits for a second factor
    page.goto(f"{base}/auth/2fa/webauthn/add/")
    if "/auth/reauthenticate/" in page.url:  # allauth asks for the password again before adding a factor
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/auth/2fa/webauthn/add/**")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.WEBAUTHN).count() == 1
    page.goto(f"{base}/admin/")
    assert page.url.rstrip("/").endswith("/admin")  # enrolling proved the passkey for this session

    page.context.clear_cookies()  # a new day, a new sign-in
    _password_sign_in(page, base, staff.username)
    assert "/auth/2fa/webauthn/reauthenticate/" in page.url
    page.click("#mfa_webauthn_reauthenticate")
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("body").inner_text()  # the admin dashboard, not a prompt
    used = Authenticator.objects.get(user=staff, type=Authenticator.Type.WEBAUTHN)
    assert used.last_used_at is not None
