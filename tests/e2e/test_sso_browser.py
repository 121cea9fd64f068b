"""Sign in with Microsoft in Chromium, against the OpenID provider emulator over real HTTPS on loopback
(tests/fakes/oidc_emulator, a throw-away CA; the Academy verifies it through REQUESTS_CA_BUNDLE, Chromium
through the server key's pin).

* A worker of a cooperative whose tenant is registered goes from a course page to registered in at
  most three clicks, typing no password and opening no e-mail, in Italian and in English (the browser
  asks for the other language, so a journey that fell back to it would show), at 390 px and 1280 px.
* An HR officer signed in with Microsoft (no MFA in the token) cannot open the HR area or the admin
  before enrolling a second factor; once enrolled, the HR area opens.
"""

from __future__ import annotations

import copy
import uuid

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from academy.core.models import OutboxMessage
from academy.network import services
from academy.network.models import HROfficer, Person
from academy.network.sso import tenants
from academy.registrations.models import Registration
from tests.fakes.oidc_emulator import OIDCEmulator
from tests.second_factor import totp

from .test_browser import CHROMIUM, HAVE_CHROMIUM
from .test_role_journeys import WIDTHS, Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]
GAMMA_TENANT = "0b1f4c1e-7d1a-4c51-9a43-2f0e3a7d9c10"
OTHER_LANGUAGE = {"it": "en-GB", "en": "it-IT"}
MAX_CLICKS = 3


@pytest.fixture
def emulator(settings, monkeypatch):
    """The emulator over HTTPS, configured as the Microsoft app; the live server (a thread of this
    process) trusts its CA through requests' REQUESTS_CA_BUNDLE."""
    server = OIDCEmulator(tls=True).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_bundle)
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = [{
        "provider_id": "microsoft", "name": "Microsoft", "client_id": server.client_id,
        "secret": server.client_secret,
        "settings": {"server_url": server.authority, "fetch_userinfo": False,
                     "token_auth_method": "client_secret_post", "scope": ["openid", "profile", "email"]}}]
    settings.SOCIALACCOUNT_PROVIDERS = providers
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)  # as academy.settings does for MICROSOFT_AUTHORITY
    policy["DIRECTIVES"]["form-action"].append(server.base_url)
    settings.CONTENT_SECURITY_POLICY = policy
    cache.clear()  # signing keys and seen tokens of an earlier emulator
    yield server
    server.stop()


@pytest.fixture
def chromium(emulator, monkeypatch):
    """A Chromium that trusts the emulator's certificate (its key's pin), and nothing else extra."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-gpu", "--no-first-run", "--disable-sync",
                  f"--ignore-certificate-errors-spki-list={emulator.spki_sha256}"])
        yield browser
        browser.close()


@pytest.fixture
def gamma_tenant(member_org):
    staff = get_user_model().objects.create_user("staff-tenants@example.coop", is_staff=True)
    return tenants.propose_tenant(member_org, GAMMA_TENANT, by=staff)


def worker(email: str, **claims) -> dict:
    return {"tid": GAMMA_TENANT, "oid": str(uuid.uuid4()), "email": email, "given_name": "Anna",
            "family_name": "Rossi", "name": "Anna Rossi", "preferred_username": email, **claims}


class Clicks:
    """Every click of the journey goes through here, so the test can count them."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def check(self, locator) -> None:
        self.count += 1
        locator.check()


def _in(lang: str, course):
    return course.get_translation(Locale.objects.get(language_code=lang))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_worker_of_a_registered_tenant_registers_in_three_clicks(live_server, chromium, emulator, gamma_tenant,
                                                                 member_org, make_course, settings, lang, width):
    settings.SITE_URL = live_server.url
    course = _in(lang, make_course(title="Privacy e salute", english=True))
    email = f"anna.{lang}.{width}@gruppogamma.coop"
    emulator.next_identity = worker(email)
    context = chromium.new_context(locale=OTHER_LANGUAGE[lang])  # Accept-Language: the other one
    page = context.new_page()
    journey = Journey(page, live_server.url, lang, "sso-worker")
    journey.at(width)
    visited: list[str] = []
    # Every address the tab asked for, redirects included (a redirect chain is one navigation).
    page.on("request", lambda request: visited.append(request.url) if request.is_navigation_request() else None)
    clicks = Clicks(page)

    page.goto(live_server.url + course.url)
    assert page.locator("html").get_attribute("lang") == lang
    journey.check("course")
    with page.expect_navigation(url=live_server.url + course.url):
        clicks.click(page.get_by_test_id("registration-box").get_by_test_id("microsoft-login"))
    assert page.locator("html").get_attribute("lang") == lang
    journey.check("signed-in")
    assert not OutboxMessage.objects.exists()  # no verification e-mail to wait for
    clicks.check(page.locator("[data-testid=register-form] input[name=consent]"))
    clicks.click(page.get_by_test_id("register"))
    page.wait_for_load_state()
    assert page.url == live_server.url + course.url
    assert page.locator("html").get_attribute("lang") == lang
    with translation.override(lang):
        assert page.get_by_test_id("reg-status").inner_text() == translation.gettext("You are registered.")
    journey.check("registered")
    context.close()

    assert clicks.count <= MAX_CLICKS, f"{clicks.count} clicks"
    assert emulator.base_url.startswith("https://")
    assert ("POST", "/organizations/oauth2/v2.0/token") in emulator.requests  # the code, exchanged over TLS
    assert any(url.startswith(emulator.base_url) for url in visited)  # the browser went to "Microsoft"
    academy_pages = [url.removeprefix(live_server.url) for url in visited if url.startswith(live_server.url)]
    assert not [url for url in academy_pages if "/accounts/" in url], academy_pages  # no login, sign-up, verify
    assert all(url.startswith((f"/{lang}/", "/auth/")) for url in academy_pages), academy_pages
    person = Person.objects.get(user__socialaccount__uid__startswith=GAMMA_TENANT)
    assert person.organisation == member_org and services.eligibility(person).eligible
    assert not person.user.has_usable_password()
    assert SocialAccount.objects.filter(user=person.user, provider="microsoft").count() == 1
    registration = Registration.objects.get(person=person)
    assert registration.course_id in {course.pk, _in("it", course).pk}  # registrations may keep the canonical page
    assert registration.status == Registration.Status.CONFIRMED
    journey.assert_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_hr_officer_signed_in_with_microsoft_must_enrol_a_second_factor(live_server, chromium, emulator, gamma_tenant,
                                                                        member_org, settings, lang):
    settings.ACADEMY_SECOND_FACTOR_ENFORCED = True
    who = worker(f"ilaria.{lang}@gruppogamma.coop", given_name="Ilaria", family_name="Risorse")
    emulator.next_identity = who
    context = chromium.new_context(locale=OTHER_LANGUAGE[lang])
    page = context.new_page()
    journey = Journey(page, live_server.url, lang, "sso-hr")
    with translation.override(lang):
        login, hr_area = reverse("accounts:login"), reverse("hr:dashboard")

    # First sign-in: an ordinary member; the office then makes her the HR officer.
    page.goto(live_server.url + login)
    with page.expect_navigation():
        page.get_by_test_id("microsoft-login").click()
    user = SocialAccount.objects.get(uid=f"{GAMMA_TENANT}:{who['oid']}").user
    HROfficer.objects.create(user=user, organisation=member_org)

    for width in WIDTHS:
        journey.at(width)
        page.context.clear_cookies()  # a new sign-in with Microsoft (its token says "pwd", not "mfa")
        page.goto(live_server.url + login)
        with page.expect_navigation():
            page.get_by_test_id("microsoft-login").click()
        # Her landing page is the HR area: the second factor is asked first, in the login page's language.
        assert page.url.startswith(live_server.url + reverse("mfa_index")), page.url
        assert page.locator("html").get_attribute("lang") == lang
        for area in (hr_area, "/admin/"):
            page.goto(live_server.url + area)
            assert page.url.startswith(live_server.url + reverse("mfa_index")), f"{area} opened: {page.url}"
            assert page.locator("html").get_attribute("lang") == lang, area
        journey.check("second-factor-asked")

    # She enrols an authenticator app; now the HR area opens (and the admin still does not: not staff).
    page.goto(live_server.url + reverse("mfa_activate_totp"))
    assert page.url == live_server.url + reverse("mfa_activate_totp")  # no password asked: she has none
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    page.goto(live_server.url + hr_area)
    assert page.url == live_server.url + hr_area
    assert page.locator("html").get_attribute("lang") == lang
    journey.check("hr-area")
    context.close()
    journey.assert_clean()
