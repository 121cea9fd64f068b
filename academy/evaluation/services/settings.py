"""Which questionnaire and test a course uses, and who may answer them (the canonical page decides)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from academy.registrations.models import Registration

from ..models import (
    DEFAULT_ANONYMITY_THRESHOLD,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_PASS_MARK,
    CourseEvaluation,
    Questionnaire,
)


class EvaluationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def evaluation_of(course) -> CourseEvaluation:
    """The course's settings row, or an unsaved one with the defaults (no test, default questionnaire)."""
    course = course.canonical
    found = CourseEvaluation.objects.filter(course=course).first()
    return found or CourseEvaluation(course=course, pass_mark=DEFAULT_PASS_MARK, max_attempts=DEFAULT_MAX_ATTEMPTS,
                                     anonymity_threshold=DEFAULT_ANONYMITY_THRESHOLD)


def questionnaire_for(course) -> Questionnaire | None:
    """The course's own questionnaire, else the default one; None when the course collects no feedback."""
    evaluation = evaluation_of(course)
    if not evaluation.survey_enabled:
        return None
    if evaluation.questionnaire_id:
        return evaluation.questionnaire
    return Questionnaire.objects.filter(is_default=True).first()


def has_test(course) -> bool:
    evaluation = evaluation_of(course)
    return evaluation.pk is not None and evaluation.test_questions.exists()


def test_required(course) -> bool:
    """Does the certificate rule require a passed learning test for ``course``?"""
    evaluation = evaluation_of(course)
    return evaluation.pk is not None and evaluation.test_required and evaluation.test_questions.exists()


def anonymity_threshold(course) -> int:
    return evaluation_of(course).anonymity_threshold or DEFAULT_ANONYMITY_THRESHOLD


def is_participant(person, course) -> bool:
    return person is not None and Registration.objects.confirmed().filter(
        course=course.canonical, person=person).exists()


def check_may_evaluate(person, course, now: datetime.datetime | None = None) -> None:
    """Raise ``EvaluationError`` unless ``person`` took part in ``course`` and its last session is over."""
    now = now or timezone.now()
    course = course.canonical
    if not is_participant(person, course):
        raise EvaluationError(_("Only participants of the course can evaluate it."))
    if not course.is_over(now):
        raise EvaluationError(_("The course is not over yet."))
