"""The anonymous satisfaction questionnaire: one submission per participant, answers without a person.

``submit_response`` marks the person's ``Invitation`` as answered (locked row: a double click cannot
submit twice) and writes a ``Response`` with its ``Answer`` rows that carry no reference to the person,
only the course, the questionnaire and the day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Answer, Invitation, Question, Questionnaire, Response
from .settings import EvaluationError, anonymity_threshold, check_may_evaluate, questionnaire_for


@dataclass(frozen=True)
class AnswerValue:
    rating: int | None = None
    choices: tuple[int, ...] = ()
    text: str = ""

    @property
    def empty(self) -> bool:
        return self.rating is None and not self.choices and not self.text.strip()


MAX_TEXT = 4000


def clean_answer(question: Question, raw: list[str]) -> AnswerValue:
    """Parse the posted values of one question; raise ``ValueError`` with a message for the form."""
    values = [v.strip() for v in raw if v is not None and v.strip()]
    if question.kind == Question.Kind.TEXT:
        text = values[0] if values else ""
        if len(text) > MAX_TEXT:
            raise ValueError(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT})
        value = AnswerValue(text=text)
    elif question.kind == Question.Kind.RATING:
        if len(values) > 1 or (values and values[0] not in {"1", "2", "3", "4", "5"}):
            raise ValueError(_("Choose a value from 1 to 5."))
        value = AnswerValue(rating=int(values[0]) if values else None)
    else:
        count = len(question.choices)
        try:
            picked = tuple(sorted({int(v) for v in values}))
        except ValueError:
            raise ValueError(_("Choose one of the options.")) from None
        if any(i < 0 or i >= count for i in picked) or (question.kind == Question.Kind.SINGLE and len(picked) > 1):
            raise ValueError(_("Choose one of the options."))
        value = AnswerValue(choices=picked)
    if question.required and value.empty:
        raise ValueError(_("This question needs an answer."))
    return value


def has_answered(person, course) -> bool:
    return Invitation.objects.filter(course=course.canonical, person=person, answered=True).exists()


def submit_response(person, course, answers: dict[int, AnswerValue], *,
                    now: datetime.datetime | None = None) -> Response:
    """Record ``person``'s answers anonymously (once per course). ``answers`` maps question ids of the
    course's questionnaire to cleaned values; required questions must be answered."""
    now = now or timezone.now()
    course = course.canonical
    check_may_evaluate(person, course, now)
    questionnaire: Questionnaire | None = questionnaire_for(course)
    if questionnaire is None:
        raise EvaluationError(_("This course has no questionnaire."))
    questions = list(questionnaire.questions.all())
    missing = [q for q in questions if q.required and (q.pk not in answers or answers[q.pk].empty)]
    if missing:
        raise EvaluationError(_("Please answer every required question."))
    with transaction.atomic():
        invitation, _created = Invitation.objects.get_or_create(course=course, person=person)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.answered:
            raise EvaluationError(_("You have already answered this questionnaire: thank you."))
        invitation.answered = True
        invitation.save(update_fields=["answered"])
        response = Response.objects.create(course=course, questionnaire=questionnaire,
                                           submitted_on=timezone.localdate(now))
        Answer.objects.bulk_create([
            Answer(response=response, question=q, rating=answers[q.pk].rating, choices=list(answers[q.pk].choices),
                   text=answers[q.pk].text.strip())
            for q in questions if q.pk in answers and not answers[q.pk].empty])
        publish_due(course)
    return response


def publish_due(course) -> int:
    """Publish the course's unpublished responses once there are at least the anonymity threshold of them,
    all together: published results then change only by batches of that size, so comparing two of them
    never isolates one person's answers (``docs/evaluation.md``). Returns how many were published."""
    unpublished = Response.objects.filter(course=course, published=False)
    if unpublished.count() < anonymity_threshold(course):
        return 0
    return unpublished.update(published=True)
