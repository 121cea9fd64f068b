"""Registering, joining the waiting list and cancelling from an English course page come back to the
English page (issue 27, item 1): the course belongs to the Italian page, the member's language does not."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Locale

from academy.registrations.models import Registration

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("capacity", [1, 0], ids=["register", "waiting-list"])
def test_registering_on_the_english_page_returns_to_the_english_page(client, make_course, make_person, capacity):
    course = make_course(capacity=capacity or 1, english=True)
    english = course.get_translation(Locale.objects.get(language_code="en"))
    if capacity == 0:  # the only seat is taken: the next member joins the waiting list
        client.force_login(make_person().user)
        client.post(reverse("registrations:register", args=[course.pk]), {"consent": "v"})
    client.force_login(make_person().user)
    response = client.post(f"/en/my-academy/register/{english.pk}/", {"consent": "v"})
    assert response.status_code == 302
    assert response["Location"] == english.url
    assert Registration.objects.filter(course=course).count() == (2 if capacity == 0 else 1)


def test_refused_registration_on_the_english_page_returns_to_the_english_page(client, make_course, make_person):
    course = make_course(english=True)
    english = course.get_translation(Locale.objects.get(language_code="en"))
    client.force_login(make_person().user)
    response = client.post(f"/en/my-academy/register/{english.pk}/", {})  # no consent
    assert response["Location"] == english.url
