"""End-to-end in a real browser (Debian's chromium through Playwright's Python API):
home → catalogue → area filter → webinar → .ics, in Italian and in English.

Skipped, with the reason printed, only when no Chromium binary can be found."""

from __future__ import annotations

import os
import shutil

import icalendar
import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test's own
    # fixtures are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        page = browser.new_page()
        yield page
        browser.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang, programme_label, area_label", [
    ("it", "Vedi il programma", "Educazione"),
    ("en", "See the programme", "Education"),
])
def test_visitor_finds_a_webinar_by_area_and_downloads_its_calendar(
        live_server, browser_page, make_course, lang, programme_label, area_label):
    make_course(title="Nidi aperti", areas=("educazione",), english=True)
    make_course(title="Piattaforme digitali", areas=("digitale",), english=True)
    page = browser_page

    page.goto(f"{live_server.url}/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    page.get_by_test_id("to-programme").click()
    page.wait_for_load_state()
    results = page.get_by_test_id("results")
    assert results.locator("article").count() == 2

    page.get_by_test_id("area").select_option(label=area_label)
    page.get_by_test_id("apply").click()
    page.wait_for_load_state()
    assert "area=educazione" in page.url
    cards = page.get_by_test_id("results").locator("article")
    assert cards.count() == 1
    expected_title = "Nidi aperti" if lang == "it" else "Test course"
    assert expected_title in cards.first.inner_text()

    cards.first.locator("h3 a").click()
    page.wait_for_load_state()
    assert expected_title in page.locator("h1").inner_text()
    assert page.get_by_test_id("session").count() == 1

    href = page.get_by_test_id("ics").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    cal = icalendar.Calendar.from_ical(response.body())
    event = cal.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert "teams.microsoft.com/l/meetup-join" not in response.text()


@pytest.mark.django_db(transaction=True)
def test_language_switcher_moves_between_italian_and_english(live_server, browser_page, site):
    page = browser_page
    page.goto(f"{live_server.url}/it/")
    assert page.locator("html").get_attribute("lang") == "it"
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "/en/" in page.url
