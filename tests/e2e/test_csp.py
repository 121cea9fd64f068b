"""The Content-Security-Policy holds in a real browser: public pages, the signed-in member's pages,
the trainer/staff check-in page and the Wagtail admin load with no policy violation, and the
course-operations screen is photographed in Italian and English for review."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.users.models import UserProfile

from academy.registrations.models import Registration

from .test_browser import CHROMIUM, HAVE_CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True),
]

SHOTS = os.environ.get("ACADEMY_SCREENSHOTS", "")


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"])
        yield browser
        browser.close()


def _signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    return context


def _violations(context, live_server, paths) -> dict[str, list[str]]:
    """Visit each path and collect what the browser reports against the policy."""
    page = context.new_page()
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script("""document.addEventListener('securitypolicyviolation', e => {
        console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI); });""")
    found = {}
    for path in paths:
        seen.clear()
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("networkidle")
        found[path] = list(seen)
    page.close()
    return found


def test_pages_and_admin_load_without_policy_violations(live_server, browser, make_course, make_person):
    course = make_course(title="Nidi aperti", english=True, capacity=20)
    member = make_person()
    Registration.objects.create(course=course, person=member, status=Registration.Status.CONFIRMED)
    session = course.sessions.get()
    staff = get_user_model().objects.create_superuser("office", "office@example.org", "pw-12345!")

    public = ["/it/", "/en/", "/it/programma/", course.url, f"{course.url}?area=educazione"]
    found = _violations(browser.new_context(), live_server, public)
    found |= _violations(_signed_in(browser, live_server, member.user), live_server,
                         ["/it/my-academy/", course.url])
    found |= _violations(_signed_in(browser, live_server, staff), live_server, [
        f"/it/attendance/sessions/{session.pk}/checkin/", "/it/hr/", "/admin/", f"/admin/pages/{course.pk}/edit/",
        f"/admin/academy/courses/{course.pk}/?tab=registrations", f"/admin/academy/courses/{course.pk}/?tab=teams"])
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.parametrize("language", ["it", "en"])
def test_course_operations_screenshot(live_server, browser, make_course, make_person, language, tmp_path):
    course = make_course(title="Progettazione sociale", capacity=1)
    for status in (Registration.Status.CONFIRMED, Registration.Status.WAITING):
        Registration.objects.create(course=course, person=make_person(), status=status)
    staff = get_user_model().objects.create_superuser("office", "office@example.org", "pw-12345!")
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = language
    profile.save()
    page = _signed_in(browser, live_server, staff).new_page()
    page.goto(f"{live_server.url}/admin/academy/courses/{course.pk}/?tab=registrations")
    tabs = page.get_by_role("tab")
    expected = ["Registrations", "Attendance", "Certificates", "Teams"]
    labels = [t.strip() for t in tabs.all_inner_texts()]
    assert len(labels) == 4 and labels[3] == "Teams"
    if language == "en":
        assert labels == expected
    assert page.get_by_test_id("registrations").locator("tbody tr").count() == 2
    page.get_by_test_id("tab-attendance").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("attendance").is_visible()
    page.screenshot(path=str(tmp_path / f"operations-{language}.png"), full_page=True)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"operations-attendance-{language}.png"), full_page=True)
        page.get_by_test_id("tab-registrations").click()
        page.wait_for_load_state()
        page.screenshot(path=os.path.join(SHOTS, f"operations-registrations-{language}.png"), full_page=True)
