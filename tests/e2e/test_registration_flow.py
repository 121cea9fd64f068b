"""A new member in a real browser: signs up with a member cooperative's domain, verifies the e-mail,
registers for a webinar, fills the last seat from a second account; a third lands on the waiting list
and is promoted when the first cancels."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from academy.registrations.models import Registration

from .test_browser import CHROMIUM, HAVE_CHROMIUM, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]


def sign_up_and_verify(page, base: str, email: str, first_name: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/it/accounts/signup/")
    page.fill("input[name=first_name]", first_name)
    page.fill("input[name=last_name]", "Rossi")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", "Cooperare-2026!")
    page.fill("input[name=password2]", "Cooperare-2026!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://\S+/accounts/verify/\S+", message.body).group(0)
    page.goto(base + link[link.index("/it/") if "/it/" in link else link.index("/accounts/"):])
    page.wait_for_load_state()


def log_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/it/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "Cooperare-2026!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def register(page, url: str) -> str:
    page.goto(url)
    page.locator("[data-testid=register-form] input[name=consent]").check()
    page.get_by_test_id("register").click()
    page.wait_for_load_state()
    return page.get_by_test_id("reg-status").inner_text()


@pytest.mark.django_db(transaction=True)
def test_members_register_fill_the_last_seat_and_the_waiting_list_moves_up(
        live_server, browser_page, make_course, settings):  # noqa: F811
    settings.SITE_URL = live_server.url
    course = make_course(title="Privacy e salute", capacity=2)
    page = browser_page
    base = live_server.url
    url = base + course.url

    sign_up_and_verify(page, base, "anna@gruppogamma.coop", "Anna")
    log_in(page, base, "anna@gruppogamma.coop")
    status = register(page, url).lower()
    assert "confermat" in status or "registered" in status
    confirmation = next(m for m in mail.outbox if "anna@gruppogamma.coop" in m.to and m.attachments)
    assert any(name.endswith(".ics") for name, _content, _type in confirmation.attachments)

    sign_up_and_verify(page, base, "bruno@gruppogamma.coop", "Bruno")
    log_in(page, base, "bruno@gruppogamma.coop")
    register(page, url)
    sign_up_and_verify(page, base, "carla@gruppogamma.coop", "Carla")
    log_in(page, base, "carla@gruppogamma.coop")
    status = register(page, url)
    assert "1" in status  # waiting list, position 1

    statuses = dict(Registration.objects.filter(course=course).values_list("person__email", "status"))
    assert statuses == {"anna@gruppogamma.coop": "confirmed", "bruno@gruppogamma.coop": "confirmed",
                        "carla@gruppogamma.coop": "waiting"}

    log_in(page, base, "anna@gruppogamma.coop")
    page.goto(url)
    page.get_by_test_id("cancel").click()
    page.wait_for_load_state()
    page.get_by_test_id("confirm-cancel").click()
    page.wait_for_load_state()
    statuses = dict(Registration.objects.filter(course=course, status="confirmed")
                    .values_list("person__email", "status"))
    assert set(statuses) == {"bruno@gruppogamma.coop", "carla@gruppogamma.coop"}
    assert any("carla@gruppogamma.coop" in m.to and m.attachments for m in mail.outbox[-3:])


@pytest.mark.django_db(transaction=True)
def test_outsider_sees_why_and_can_ask_for_approval(live_server, browser_page, make_course, settings):  # noqa: F811
    settings.SITE_URL = live_server.url
    course = make_course(title="Rischio clinico")
    page = browser_page
    base = live_server.url
    sign_up_and_verify(page, base, "dario@gmail.com", "Dario")
    log_in(page, base, "dario@gmail.com")
    page.goto(base + course.url)
    assert page.get_by_test_id("reg-blocker").is_visible()
    assert page.get_by_test_id("register-form").count() == 0
    page.get_by_test_id("ask-membership").click()
    page.wait_for_load_state()
    assert "/accounts/membership/" in page.url
