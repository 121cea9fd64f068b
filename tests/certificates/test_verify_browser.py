"""The verification page in a real browser: valid, revoked and not-found look different in text, icon
and colour, and a revoked certificate's reason is not shown to the public. Screenshots of the three
states go to ``$SCREENSHOT_DIR`` (or the test's temporary directory)."""

from __future__ import annotations

import os
import pathlib
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from certificates import services
from tests.e2e.test_browser import CHROMIUM, HAVE_CHROMIUM, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]


def _state(page, testid: str) -> dict:
    box = page.get_by_test_id(testid)
    return {
        "heading": box.locator("h2").inner_text().strip(),
        "icon": box.locator("svg.verify-icon").count(),
        "background": box.evaluate("el => getComputedStyle(el).backgroundColor"),
        "text": box.inner_text(),
    }


@pytest.mark.django_db(transaction=True)
def test_the_three_verification_states_are_unmistakable(
        live_server, browser_page, past_course, make_person, register, attend, staff_user, tmp_path):  # noqa: F811
    shots = pathlib.Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    course = past_course(title="Welfare culturale")
    valid_person = make_person(first_name="Paolo", last_name="Conti")
    revoked_person = make_person(first_name="Anna", last_name="Neri")
    for person in (valid_person, revoked_person):
        register(course, person)
        attend(course, person, 90)
    valid = services.issue_certificate(course, valid_person)
    valid.hours = Decimal("1.50")
    valid.save(update_fields=["hours"])
    revoked = services.issue_certificate(course, revoked_person)
    services.revoke(revoked, "Registro presenze errato", by=staff_user)
    page = browser_page
    page.set_viewport_size({"width": 900, "height": 700})

    page.goto(live_server.url + reverse("certificates:verify_code", args=[valid.code]))
    shown_valid = _state(page, "valid")
    page.screenshot(path=str(shots / "verify-valid.png"), full_page=True)

    page.goto(live_server.url + reverse("certificates:verify_code", args=[revoked.code]))
    shown_revoked = _state(page, "revoked")
    page.screenshot(path=str(shots / "verify-revoked.png"), full_page=True)

    page.goto(live_server.url + reverse("certificates:verify"))
    page.get_by_test_id("verify-code").fill(valid.code[:-1] + ("0" if valid.code[-1] != "0" else "1"))
    page.get_by_role("button", name="Verifica").click()
    page.wait_for_load_state()
    shown_unknown = _state(page, "mistyped")
    page.screenshot(path=str(shots / "verify-not-found.png"), full_page=True)

    with translation.override("it"):  # whatever the catalogue says: the page and the test agree
        headings = gettext("Valid certificate"), gettext("Revoked certificate: not valid"), \
            gettext("Certificate not found")
    assert shown_valid["heading"] == headings[0] and "1,5" in shown_valid["text"]
    assert shown_revoked["heading"] == headings[1]
    assert "Registro presenze errato" not in shown_revoked["text"]
    assert "ha partecipato" not in shown_revoked["text"]
    assert shown_unknown["heading"] == headings[2]
    assert all(state["icon"] == 1 for state in (shown_valid, shown_revoked, shown_unknown))
    backgrounds = {shown_valid["background"], shown_revoked["background"], shown_unknown["background"]}
    assert len(backgrounds) == 3
