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
