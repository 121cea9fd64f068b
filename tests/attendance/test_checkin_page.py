"""The check-in page a trainer uses at the door (issue 27, item 2): before the session's check-in opens
the buttons are disabled and the page says when it opens; an empty list without a search does not say
"no match for your search"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(settings, make_course, make_person, register, trainer_of, client):
    settings.CHECKIN_OPENS_MINUTES_BEFORE, settings.CHECKIN_CLOSES_MINUTES_AFTER = 60, 0
    course = make_course(days=(30,), minutes=120, mode="in_person")
    client.force_login(trainer_of(course))
    return course, course.sessions.get(), make_person, register, client


def test_a_session_not_open_yet_disables_the_buttons_and_says_when_it_opens(door):
    course, session, make_person, register, client = door
    person = make_person(first_name="Lucia", last_name="Ferri")
    register(course, person)
    html = client.get(reverse("attendance:session_checkin", args=[session.pk])).content.decode()
    assert 'data-testid="checkin-not-open"' in html
    button = re.search(rf'<button[^>]*data-testid="checkin-{person.pk}"[^>]*>', html).group(0)
    assert "disabled" in button
    code_button = re.search(r'<button[^>]*data-testid="code-submit"[^>]*>', html).group(0)
    assert "disabled" in code_button


def test_an_open_session_has_active_buttons_one_card_per_person(door, settings):
    settings.CHECKIN_OPENS_MINUTES_BEFORE = 60 * 24 * 60  # the session 30 days ahead is open now
    course, session, make_person, register, client = door
    people = [make_person(), make_person()]
    for person in people:
        register(course, person)
    html = client.get(reverse("attendance:session_checkin", args=[session.pk])).content.decode()
    assert 'data-testid="checkin-not-open"' not in html
    assert html.count('class="checkin-card') == 2
    button = re.search(rf'<button[^>]*data-testid="checkin-{people[0].pk}"[^>]*>', html).group(0)
    assert "disabled" not in button


def test_an_empty_list_without_a_search_does_not_speak_of_a_search(door):
    course, session, make_person, register, client = door
    url = reverse("attendance:session_checkin", args=[session.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="no-registrants"' in html and 'data-testid="no-match"' not in html
    register(course, make_person(first_name="Lucia"))
    html = client.get(url, {"q": "Zzz"}).content.decode()
    assert 'data-testid="no-match"' in html and 'data-testid="no-registrants"' not in html
