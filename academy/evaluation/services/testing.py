"""The final learning test: shuffled multiple-choice questions, a pass mark, a limited number of attempts.

* an attempt fixes its layout when it starts (questions and choices shuffled with ``secrets``), so a
  reload shows the same page and the score is computed on what the person saw;
* passed when ``correct * 100 >= total * pass_mark`` (integers: exactly at the pass mark passes);
  unanswered questions count as wrong;
* at most ``max_attempts`` submitted attempts; after a pass no further attempt starts.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import TestAttempt, TestQuestion
from ..signals import test_passed
from .settings import EvaluationError, check_may_evaluate, evaluation_of

_shuffle = random.SystemRandom().shuffle


def _questions(course) -> list[TestQuestion]:
    evaluation = evaluation_of(course)
    return list(evaluation.test_questions.all()) if evaluation.pk else []


def attempts_of(person, course):
    return TestAttempt.objects.filter(course=course.canonical, person=person)


def open_attempt(person, course) -> TestAttempt | None:
    return attempts_of(person, course).filter(submitted_at__isnull=True).first()


def has_passed(person, course) -> bool:
    return person is not None and attempts_of(person, course).filter(passed=True).exists()


def passed_people(course) -> set[int]:
    """Ids of the people who passed ``course``'s test (one query, for bulk certificate runs)."""
    return set(TestAttempt.objects.filter(course=course.canonical, passed=True).values_list("person_id", flat=True))


def best_attempt(person, course) -> TestAttempt | None:
    return (attempts_of(person, course).filter(submitted_at__isnull=False)
            .order_by("-passed", "-correct", "submitted_at").first())


def attempts_left(person, course) -> int:
    used = attempts_of(person, course).filter(submitted_at__isnull=False).count()
    return max(evaluation_of(course).max_attempts - used, 0)


def passes(correct: int, total: int, pass_mark: int) -> bool:
    return total > 0 and correct * 100 >= total * pass_mark


def start_attempt(person, course, *, now: datetime.datetime | None = None) -> TestAttempt:
    """The person's open attempt, or a new one with a freshly shuffled layout."""
    now = now or timezone.now()
    course = course.canonical
    check_may_evaluate(person, course, now)
    questions = _questions(course)
    if not questions:
        raise EvaluationError(_("This course has no learning test."))
    evaluation = evaluation_of(course)
    with transaction.atomic():
        attempts = attempts_of(person, course).select_for_update()
        done = [a for a in attempts if a.submitted_at is not None]
        if any(a.passed for a in done):
            raise EvaluationError(_("You have already passed the test."))
        open_attempt = next((a for a in attempts if a.submitted_at is None), None)
        if open_attempt is not None:
            return open_attempt
        if len(done) >= evaluation.max_attempts:
            raise EvaluationError(_("You have used all your attempts at the test."))
        _shuffle(questions)
        layout = []
        for question in questions:
            order = list(range(len(question.choices)))
            _shuffle(order)
            layout.append([question.pk, order])
        return TestAttempt.objects.create(course=course, person=person, started_at=now, layout=layout,
                                          pass_mark=evaluation.pass_mark, total=len(layout))


def shown_questions(attempt: TestAttempt) -> list[tuple[TestQuestion, list[tuple[int, str]]]]:
    """The attempt's questions in its order, each with ``(choice index, label)`` in its shuffled order."""
    by_id = {q.pk: q for q in TestQuestion.objects.filter(pk__in=[qid for qid, _order in attempt.layout])}
    shown = []
    for qid, order in attempt.layout:
        question = by_id.get(qid)
        if question is None:
            continue
        labels = question.choices
        shown.append((question, [(i, labels[i]) for i in order if i < len(labels)]))
    return shown


def submit_attempt(attempt: TestAttempt, answers: dict[int, int], *,
                   now: datetime.datetime | None = None) -> TestAttempt:
    """Score ``answers`` (question id → chosen choice index) and close the attempt; once only."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = TestAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise EvaluationError(_("This attempt has already been submitted."))
        by_id = {q.pk: q for q in TestQuestion.objects.filter(pk__in=[qid for qid, _o in attempt.layout])}
        asked = [qid for qid, _order in attempt.layout if qid in by_id]
        correct = sum(1 for qid in asked if answers.get(qid) is not None and answers[qid] == by_id[qid].correct - 1)
        attempt.answers = {str(qid): answers[qid] for qid in asked if answers.get(qid) is not None}
        attempt.correct, attempt.total, attempt.submitted_at = correct, len(asked), now
        attempt.passed = passes(correct, len(asked), attempt.pass_mark)
        attempt.save(update_fields=["answers", "correct", "total", "submitted_at", "passed"])
        if attempt.passed:
            course_id, person_id = attempt.course_id, attempt.person_id
            transaction.on_commit(lambda: test_passed.send_robust(sender=TestAttempt, course_id=course_id,
                                                                  person_id=person_id))
    return attempt
