"""Aggregated results of a course's questionnaire, per trainer and across the editions of a course.

Nobody is shown a per-question breakdown or comments of a course with fewer answers than its anonymity
threshold (default 5): with three answers a trainer could guess who wrote what. Staff see the same
aggregates (the answers themselves have no person to show anyway). The breakdown covers the *published*
responses only, published in batches of at least the threshold (``answering.publish_due``): comparing the
results at 5 and at 6 answers shows the same figures, so nobody's answers can be singled out by difference.
A trainer compares only the editions they train (``editions``).

**Editions** of a course are the canonical (Italian) course pages of the same kind with the same title,
compared without case, accents-insensitive spacing or a trailing edition marker such as "(2ª ed.)" or
"- 2025"; the Academy runs a webinar again by copying its page, which keeps the title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from wagtail.models import Locale

from academy.courses.models import CoursePage
from academy.courses.permissions import may_run_course

from ..models import Answer, Invitation, Question, Response
from .settings import anonymity_threshold, questionnaire_for


@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    average: Decimal | None = None
    distribution: list[tuple[str, int, int]] = field(default_factory=list)  # (label, count, percent)
    comments: list[str] = field(default_factory=list)


@dataclass
class CourseResults:
    course: CoursePage
    invited: int
    answered: int
    responses: int
    threshold: int
    questions: list[QuestionResult]
    published: int = 0  # the responses the breakdown covers (a batch boundary, see the module docstring)

    @property
    def response_rate(self) -> int | None:
        return round(self.answered * 100 / self.invited) if self.invited else None

    @property
    def shown(self) -> bool:
        """Enough published answers for a per-question breakdown (the anonymity threshold)."""
        return self.published >= self.threshold and self.published > 0

    @property
    def overall(self) -> Decimal | None:
        """Mean of every rating answer of the course (the trend figure)."""
        ratings = [q.average for q in self.questions if q.average is not None]
        if not ratings:
            return None
        return _round(sum(ratings) / len(ratings))


def _round(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _question_result(question: Question, answers: list[Answer]) -> QuestionResult:
    result = QuestionResult(question=question, count=len(answers))
    if question.kind == Question.Kind.RATING:
        ratings = [a.rating for a in answers if a.rating is not None]
        counts = Counter(ratings)
        result.average = _round(Decimal(sum(ratings)) / len(ratings)) if ratings else None
        result.distribution = [(str(v), counts[v], round(counts[v] * 100 / len(ratings)) if ratings else 0)
                               for v in range(1, 6)]
    elif question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        counts = Counter(i for a in answers for i in a.choices)
        result.distribution = [(label, counts[i], round(counts[i] * 100 / len(answers)) if answers else 0)
                               for i, label in enumerate(question.choices)]
    else:
        result.comments = sorted(a.text for a in answers if a.text)  # sorted: no submission order
    return result


def course_results(course) -> CourseResults:
    course = course.canonical
    questionnaire = questionnaire_for(course)
    invitations = Invitation.objects.filter(course=course)
    responses = Response.objects.filter(course=course).count()
    published = Response.objects.filter(course=course, published=True).count()
    threshold = anonymity_threshold(course)
    questions: list[QuestionResult] = []
    if questionnaire is not None and published and published >= threshold:
        by_question: dict[int, list[Answer]] = {}
        for answer in Answer.objects.filter(response__course=course, response__published=True,
                                            question__questionnaire=questionnaire):
            by_question.setdefault(answer.question_id, []).append(answer)
        questions = [_question_result(q, by_question.get(q.pk, [])) for q in questionnaire.questions.all()]
    return CourseResults(course=course, invited=invitations.count(),
                         answered=invitations.filter(answered=True).count(), responses=responses,
                         threshold=threshold, questions=questions, published=published)


_EDITION_MARK = re.compile(r"\s*([-–—(]\s*)?(\d+\s*[ªa°]?\s*ed(izione|ition|\.)?|edizione\s*\d+|\d{4})\)?\s*$",
                           re.IGNORECASE)


def series_key(title: str) -> str:
    """The title that editions of one course share (see the module docstring)."""
    key = _EDITION_MARK.sub("", title or "")
    return re.sub(r"\s+", " ", key).strip().casefold()


def editions(course, viewer) -> list[CourseResults]:
    """Results of the editions of ``course`` (itself included) that ``viewer`` may run (staff: all; a
    trainer: the editions they train, not their colleagues'), oldest first."""
    course = course.canonical
    key = series_key(course.title)
    candidates = (CoursePage.objects.filter(locale=Locale.get_default(), content_type=course.content_type,
                                            last_ends_at__isnull=False)
                  .order_by("first_starts_at"))
    return [course_results(c) for c in candidates
            if series_key(c.title) == key and (c.pk == course.pk or may_run_course(viewer, c))]


def trainer_results(courses) -> list[CourseResults]:
    """Results of the courses a trainer teaches (the caller decides which courses it may see)."""
    return [course_results(c) for c in courses if c.last_ends_at is not None]


@dataclass
class TrainerSummary:
    trainer: object
    courses: int
    responses: int
    average: Decimal | None  # mean of the overall figures of the courses shown (above their threshold)


def by_trainer(rows: list[CourseResults]) -> list[TrainerSummary]:
    """Per trainer, over the given course results: courses, responses and the mean rating of the courses
    with enough answers (courses below their threshold add to the counts only)."""
    groups: dict[int, tuple[object, list[CourseResults]]] = {}
    for row in rows:
        for trainer in row.course.trainers.all():
            groups.setdefault(trainer.pk, (trainer, []))[1].append(row)
    summaries = []
    for trainer, results in groups.values():
        shown = [r.overall for r in results if r.shown and r.overall is not None]
        summaries.append(TrainerSummary(trainer=trainer, courses=len(results),
                                        responses=sum(r.responses for r in results),
                                        average=_round(sum(shown) / len(shown)) if shown else None))
    return sorted(summaries, key=lambda s: s.trainer.name)
