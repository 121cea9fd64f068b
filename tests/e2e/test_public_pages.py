"""Issue 14 in a real browser: the language switch, a full course's state, the phone layout and the
confirmation before cancelling."""

from __future__ import annotations

import pytest

from .test_browser import CHROMIUM, HAVE_CHROMIUM, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]


def switch(page, code: str) -> None:
    page.get_by_test_id(f"lang-{code}").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_language_switch_opens_the_translation_and_keeps_the_query(live_server, browser_page, make_course):  # noqa: F811
    course = make_course(title="Nidi aperti", english=True)
    page = browser_page
    base = live_server.url

    page.goto(f"{base}/en/programme/?area=educazione&q=test")
    switch(page, "it")
    assert page.url == f"{base}/it/programma/?area=educazione&q=test"
    assert page.locator("h1").inner_text() == "Programma"
    switch(page, "en")
    assert page.url == f"{base}/en/programme/?area=educazione&q=test"

    page.goto(base + course.get_translation(course.locale.__class__.objects.get(language_code="en")).url)
    switch(page, "it")
    assert page.url == base + course.url
    assert "Nidi aperti" in page.locator("h1").inner_text()

    page.goto(f"{base}/en/about/")
    switch(page, "it")
    assert page.url == f"{base}/it/chi-siamo/"

    page.goto(f"{base}/it/accounts/signup/?next=/it/programma/")
    switch(page, "en")
    assert page.url == f"{base}/en/accounts/signup/?next=/it/programma/"
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.django_db(transaction=True)
def test_a_full_course_says_so_on_its_page_the_catalogue_and_the_home(
        live_server, browser_page, make_course, make_person):  # noqa: F811
    from academy.registrations import services

    course = make_course(title="Corso pieno", capacity=1)
    services.register(make_person(), course)
    page = browser_page
    base = live_server.url

    page.goto(base + course.url)
    state = page.get_by_test_id("registration-box").get_by_test_id("course-state")
    assert state.get_attribute("data-state") == "full"
    assert "lista d'attesa" in state.inner_text()
    assert "Restano 0 posti" not in page.content()

    for url in (f"{base}/it/programma/", f"{base}/it/"):
        page.goto(url)
        card = page.locator("article.course-card", has_text="Corso pieno")
        assert card.get_by_test_id("course-state").get_attribute("data-state") == "full"
        assert "lista d'attesa" in card.inner_text()


@pytest.mark.django_db(transaction=True)
def test_area_tags_on_home_cards_open_the_filtered_catalogue(live_server, browser_page, make_course):  # noqa: F811
    make_course(title="Nidi aperti", areas=("educazione",))
    make_course(title="Piattaforme digitali", areas=("digitale",))
    page = browser_page
    page.goto(f"{live_server.url}/it/")
    page.locator("article.course-card", has_text="Nidi aperti").get_by_test_id("card-area").first.click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/it/programma/?area=educazione"
    assert page.get_by_test_id("results").locator("article").count() == 1


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_dates_and_registration_come_first_and_nothing_scrolls_sideways(
        live_server, browser_page, make_course, make_person, settings):  # noqa: F811
    course = make_course(title="Corso lungo", days=(7, 14, 21),
                         abstract="<p>" + "Una descrizione lunga del corso. " * 80 + "</p>")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url

    page.goto(base + course.url)
    box = page.get_by_test_id("registration-box").bounding_box()
    dates = page.get_by_test_id("session").first.bounding_box()
    description = page.locator(".course-body").bounding_box()
    assert dates["y"] < description["y"] and box["y"] < description["y"]
    assert dates["y"] < 844  # on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The HR dashboard and the case-study library need the full demo (measured by hand: 390 px).
    page.goto(f"{base}/it/programma/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.django_db(transaction=True)
def test_cancelling_asks_for_confirmation(live_server, browser_page, make_course, make_person):  # noqa: F811
    from academy.registrations import services
    from academy.registrations.models import Registration

    course = make_course(title="Da annullare")
    person = make_person()
    registration = services.register(person, course)
    page = browser_page
    base = live_server.url
    page.goto(f"{base}/it/accounts/login/")
    page.fill("input[name=username]", person.email)
    page.fill("input[name=password]", "pw-12345!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(base + course.url)
    page.get_by_test_id("cancel").click()
    page.wait_for_load_state()
    assert "Da annullare" in page.get_by_test_id("cancel-question").inner_text()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED  # nothing happened yet
    confirm = page.get_by_test_id("confirm-cancel")
    assert "secondary" in confirm.get_attribute("class")

    page.get_by_test_id("keep").click()
    page.wait_for_load_state()
    assert page.url == base + course.url
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    page.get_by_test_id("cancel").click()
    page.wait_for_load_state()
    page.get_by_test_id("confirm-cancel").click()
    page.wait_for_load_state()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert page.url == base + course.url
