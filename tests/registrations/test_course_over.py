"""A course is over from the end of its last session, the same instant for every page that asks
(``CoursePage.is_over``): My Academy moves it to the past at that instant, as registration closes."""

from __future__ import annotations

from unittest import mock

import pytest

from academy.courses.models import RegistrationState
from academy.registrations import services

pytestmark = pytest.mark.django_db


def test_my_academy_moves_a_course_to_the_past_when_its_last_session_ends(client, make_course, make_person):
    course = make_course(days=(1,))  # registration is open now; the clock is moved to its end below
    person = make_person()
    services.register(person, course)
    client.force_login(person.user)
    end = course.last_ends_at
    with mock.patch("django.utils.timezone.now", return_value=end):
        response = client.get("/it/my-academy/")
        assert course.registration_state(end) == RegistrationState.PAST and course.is_over(end)
    assert [r.course_id for r in response.context["past"]] == [course.pk]
    assert response.context["upcoming"] == []
