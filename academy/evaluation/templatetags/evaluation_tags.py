"""``{% evaluation_tasks person as tasks %}``: the questionnaires and tests waiting for ``person`` (My Academy
lives in a lower layer, so it asks this tag instead of importing the app)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from academy.registrations.models import Registration

from .. import services

register = template.Library()

SHOWN_FOR = datetime.timedelta(days=120)


@register.simple_tag
def evaluation_tasks(person) -> list[dict]:
    if person is None:
        return []
    now = timezone.now()
    tasks = []
    registrations = (Registration.objects.confirmed().filter(person=person, course__last_ends_at__lte=now,
                                                             course__last_ends_at__gt=now - SHOWN_FOR)
                     .select_related("course").order_by("-course__last_ends_at"))
    for registration in registrations:
        course = registration.course
        survey = services.questionnaire_for(course) is not None and not services.has_answered(person, course)
        test = services.has_test(course) and not services.has_passed(person, course) \
            and services.attempts_left(person, course) > 0
        if survey or test:
            tasks.append({"course": course.localized, "course_id": course.pk, "survey": survey, "test": test,
                          "test_required": services.test_required(course)})
    return tasks
