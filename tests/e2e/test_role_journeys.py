"""Each role's main journey in a real browser (issue 27, "Done when"; issue 25, the inspector): signing in
through the login form from the home page, in Italian and in English, at 390 px and at 1280 px.

Every page of a journey fails the test when it scrolls sideways, when axe finds a serious or critical
violation, when the person lands anywhere but their own area after signing in, and when registering for
a course moves the member to the other language. Screenshots go to ``$SCREENSHOT_DIR`` when it is set.
"""

from __future__ import annotations

import datetime
import os
import pathlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale

from academy.courses.models import Trainer
from academy.funding.models import FundedPlan
from academy.funding.services import inspectors
from academy.network.models import HROfficer
from academy.registrations.models import Registration

from .test_accessibility import ALSO_BLOCKING, AXE, BLOCKING
from .test_browser import CHROMIUM, HAVE_CHROMIUM, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]
PASSWORD = "pw-12345!"  # the conftest's make_person password
WIDTHS = (390, 1280)
SHOTS = os.environ.get("SCREENSHOT_DIR")


class Journey:
    """A browser page that checks every page it reaches; ``problems`` lists what failed, by page."""

    def __init__(self, page, base: str, lang: str, role: str):
        self.page, self.base, self.lang, self.role = page, base, lang, role
        self.width = WIDTHS[0]
        self.problems: list[str] = []

    def at(self, width: int) -> None:
        self.width = width
        self.page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})

    def check(self, name: str) -> None:
        page = self.page
        where = f"{self.role}/{self.lang}/{self.width}px {name} ({page.url.removeprefix(self.base)})"
        overflow = page.evaluate("""() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > width + 1)
                .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        }""")
        if overflow:
            self.problems.append(f"{where}: scrolls sideways because of {overflow}")
        page.evaluate(AXE)  # through the DevTools protocol: the page's CSP forbids inline scripts
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
        self.problems += [f"{where}: axe {v['impact']} {v['id']} {v['nodes']}" for v in violations
                          if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING]
        if SHOTS:
            pathlib.Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{self.role}-{self.lang}-{self.width}-{name}.png", full_page=True)

    def go(self, path: str, name: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        self.check(name)

    def sign_in(self, username: str, area: str) -> None:
        """From the home page through the menu's "Log in" link; the person must land on ``area``."""
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.base}/{self.lang}/")
        page.locator("header nav a[href$='/accounts/login/']").click()
        page.wait_for_load_state()
        self.check("login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        landed = page.url.removeprefix(self.base).split("?")[0]
        if landed != area:
            self.problems.append(f"{self.role}/{self.lang}/{self.width}px landed on {landed}, not on {area}")
        self.check("landing")

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


@pytest.fixture
def world(site, make_course, make_person, member_org, settings, live_server):
    """One course running today in person (check-in, inspection) and two upcoming ones, with English
    translations; a member, a trainer with three registrants, an HR officer, an inspector, the office."""
    settings.SITE_URL = live_server.url
    users = get_user_model()
    today = make_course(title="Primo soccorso in cooperativa", days=(0,), minutes=240, mode="in_person",
                        english=True)
    upcoming = [make_course(title=f"Welfare di comunità {n}", days=(14,), english=True) for n in (1, 2)]
    trainer = make_person(first_name="Teresa", last_name="Docenti").user
    today.trainers.add(Trainer.objects.create(name="Teresa Docenti", user=trainer))
    today.save()
    registrants = [make_person(first_name=name, last_name=surname, fiscal_code=code) for name, surname, code in (
        ("Anna", "Rossi", "RSSNNA80A41H501U"), ("Bruno", "Bianchi", "BNCBRN75C12F205X"), ("Carla", "Verdi", ""))]
    for person in registrants:
        Registration.objects.create(course=today, person=person, status=Registration.Status.CONFIRMED)
    hr = make_person(first_name="Ilaria", last_name="Risorse").user
    HROfficer.objects.create(user=hr, organisation=member_org)
    plan = FundedPlan.objects.create(fund="foncoop", title="Competenze 2026", plan_code="AVS/055/25I", proposer=member_org,
                                     responsible_name="Maria Neri", starts_on=datetime.date(2026, 1, 1),
                                     ends_on=datetime.date(2027, 12, 31))
    plan.courses.add(today)
    office = users.objects.create_superuser("ufficio@academy.example", "ufficio@academy.example", PASSWORD)
    now = timezone.now()
    access, _password = inspectors.create_inspector(
        plan, name="Ispettrice Fondo", email="ispettrice@fondo.example", body="Fon.Coop", by=office,
        valid_from=now - datetime.timedelta(days=1), valid_until=now + datetime.timedelta(days=30))
    access.user.set_password(PASSWORD)
    access.user.save()
    return {"today": today, "upcoming": upcoming, "member": make_person(first_name="Giulia").user,
            "trainer": trainer, "registrants": registrants, "hr": hr, "inspector": access.user, "office": office}


def _url(name: str, lang: str, *args) -> str:
    with translation.override(lang):
        return reverse(name, args=args)


def _in(lang: str, course):
    return course.get_translation(Locale.objects.get(language_code=lang))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_member_signs_in_registers_and_stays_in_their_language(live_server, browser_page, world, lang):  # noqa: F811
    journey = Journey(browser_page, live_server.url, lang, "member")
    page = journey.page
    for width, course in zip(WIDTHS, world["upcoming"], strict=True):
        journey.at(width)
        journey.sign_in(world["member"].username, _url("my_academy", lang))
        journey.go(_in(lang, course).url, "course")
        box = page.get_by_test_id("register").bounding_box()  # no scrolling past the description to register
        assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"], f"register at {box}"
        consent = page.locator("[data-testid=register-form] input[type=checkbox][name=consent]")
        if width == WIDTHS[0]:  # accepted once, the same notice is not asked again
            consent.check()
        else:
            assert consent.count() == 0 and page.get_by_test_id("consent-on-record").is_visible()
        page.get_by_test_id("register").click()
        page.wait_for_load_state()
        assert page.url == live_server.url + _in(lang, course).url, f"registering moved to {page.url}"
        assert page.locator("html").get_attribute("lang") == lang
        assert page.get_by_test_id("reg-status").is_visible()
        journey.check("registered")
        page.get_by_test_id("my-academy").click()
        page.wait_for_load_state()
        assert _in(lang, course).title in page.get_by_test_id("upcoming").inner_text()
        journey.check("my-academy")
    journey.assert_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_trainer_lands_on_their_courses_and_checks_people_in_on_a_phone(live_server, browser_page, world, lang):  # noqa: F811
    journey = Journey(browser_page, live_server.url, lang, "trainer")
    page = journey.page
    for width, person in zip(WIDTHS, world["registrants"], strict=False):
        journey.at(width)
        journey.sign_in(world["trainer"].username, _url("materials:trainer_home", lang))
        page.get_by_test_id("trainer-checkin").first.click()
        page.wait_for_load_state()
        journey.check("checkin")
        button = page.get_by_test_id(f"checkin-{person.pk}")
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"button at {box}"
        button.click()
        page.wait_for_load_state()
        assert page.get_by_test_id(f"checkout-{person.pk}").is_visible()
        journey.check("checked-in")
    journey.assert_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_hr_officer_lands_on_the_dashboard_and_opens_a_person(live_server, browser_page, world, lang):  # noqa: F811
    journey = Journey(browser_page, live_server.url, lang, "hr")
    page = journey.page
    for width in WIDTHS:
        journey.at(width)
        journey.sign_in(world["hr"].username, _url("hr:dashboard", lang))
        page.locator(f"main a[href='{_url('hr:person', lang, world['registrants'][0].pk)}']").first.click()
        page.wait_for_load_state()
        assert "Rossi" in page.locator("h1").inner_text()
        journey.check("person")
    journey.assert_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_inspector_lands_on_their_area_and_downloads_a_register(live_server, browser_page, world, lang):  # noqa: F811
    journey = Journey(browser_page, live_server.url, lang, "inspector")
    page = journey.page
    session = world["today"].sessions.get()
    for width in WIDTHS:
        journey.at(width)
        journey.sign_in(world["inspector"].username, _url("funding:inspector_home", lang))
        header = page.get_by_test_id("sessions").locator("th").nth(2).inner_text()
        assert header == {"it": "Registro", "en": "Register"}[lang]
        page.get_by_test_id(f"live-{session.pk}").click()
        page.wait_for_load_state()
        assert "Rossi" in page.locator("main").inner_text()
        journey.check("live-register")
        with page.expect_download() as download:
            page.get_by_test_id("register-pdf").click()
        assert pathlib.Path(download.value.path()).read_bytes().startswith(b"%PDF")
        assert page.get_by_test_id("my-academy").count() == 0  # an inspector is not a member
    journey.assert_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_office_lands_on_the_admin(live_server, browser_page, world, lang):  # noqa: F811
    journey = Journey(browser_page, live_server.url, lang, "staff")
    for width in WIDTHS:
        journey.at(width)
        journey.sign_in(world["office"].username, reverse("wagtailadmin_home"))
        journey.go(reverse("academy_course_operations", args=[world["today"].pk]) + "?tab=attendance", "operations")
    journey.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_a_failed_sign_up_moves_the_focus_to_the_error_summary(live_server, browser_page, site):  # noqa: F811
    journey = Journey(browser_page, live_server.url, "it", "visitor")
    page = journey.page
    journey.at(WIDTHS[0])
    journey.go(_url("accounts:signup", "it"), "signup")
    for name, value in (("first_name", "Anna"), ("last_name", "Rossi"), ("email", "anna@gruppogamma.coop"),
                        ("password1", "Cooperare-2026!"), ("password2", "Cooperare-2027!")):
        page.fill(f"input[name={name}]", value)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.title().startswith("Errore: ")
    page.wait_for_function(  # autofocus is applied at the next rendering opportunity, not at load
        "document.activeElement && document.activeElement.dataset.testid === 'error-summary'", timeout=5000)
    journey.check("signup-error")
    journey.assert_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_failed_learning_test_moves_the_focus_to_the_error_summary(live_server, browser_page, site, make_course,  # noqa: F811
                                                                     make_person, settings, lang):
    """Issue 27 item 7, the final test: after a failed submit the title says so and the focus is on the
    error summary, at 390 px and 1280 px."""
    from academy.evaluation.models import CourseEvaluation, TestQuestion

    settings.SITE_URL = live_server.url
    course = make_course(title="Comunicare con le famiglie", days=(-2,), english=True)
    evaluation = CourseEvaluation.objects.create(course=course, test_required=True, pass_mark=75, max_attempts=3)
    for order, (text, choices) in enumerate([("Capitale d'Italia?", "Milano\nRoma"), ("2 + 2?", "3\n4")]):
        TestQuestion.objects.create(evaluation=evaluation, sort_order=order, text_it=text, choices_it=choices,
                                    correct=2)
    person = make_person(first_name="Lucia")
    Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
    journey = Journey(browser_page, live_server.url, lang, "learner")
    page = journey.page
    for width in WIDTHS:
        journey.at(width)
        journey.sign_in(person.user.username, _url("my_academy", lang))
        journey.go(_url("evaluation:test", lang, course.pk), "test")
        page.get_by_test_id("test-start").click()
        page.wait_for_load_state()
        page.get_by_test_id("test-question").first.locator("input[type=radio]").first.check()  # a wrong answer
        page.get_by_test_id("test-submit").click()
        page.wait_for_load_state()
        assert page.title().startswith({"it": "Errore: ", "en": "Error: "}[lang]), page.title()
        page.wait_for_function(  # autofocus is applied at the next rendering opportunity, not at load
            "document.activeElement && document.activeElement.dataset.testid === 'error-summary'", timeout=5000)
        journey.check("test-failed")
    journey.assert_clean()
