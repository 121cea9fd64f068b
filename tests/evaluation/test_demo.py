"""The demo: a past webinar with five anonymous answers its trainer can read, a required test, and the
demo member invited to answer; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from academy.courses.models import CoursePage
from academy.evaluation import services
from academy.evaluation.models import Response
from academy.network.models import Person
from cms import demo


@pytest.mark.django_db
def test_demo_evaluation(client):
    demo.load_all()
    course = CoursePage.objects.get(slug="valutare-impatto-sociale", locale__language_code="it")
    assert Response.objects.filter(course=course).count() == 5
    demo.load_all()
    assert Response.objects.filter(course=course).count() == 5  # idempotent
    results = services.course_results(course)
    assert results.shown and results.overall is not None
    staff = get_user_model().objects.create_user("ufficio@example.coop", is_staff=True)
    assert len(services.editions(course, staff)) == 2
    assert services.test_required(course)

    client.force_login(get_user_model().objects.get(username="formatrice"))
    page = client.get(f"/it/evaluation/courses/{course.pk}/results/").content.decode()
    assert 'data-testid="result-question"' in page and "Utile per il bilancio sociale." in page

    member = Person.objects.get(email="giulia.ferrari@gruppogamma.coop")
    assert services.is_participant(member, course) and not services.has_answered(member, course)
    client.force_login(member.user)
    home = client.get("/it/my-academy/").content.decode()
    assert f"/it/evaluation/courses/{course.pk}/questionnaire/" in home
    assert f"/it/evaluation/courses/{course.pk}/test/" in home
