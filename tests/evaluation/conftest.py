from __future__ import annotations

import pytest
from django.core.cache import cache

from academy.evaluation.defaults import ensure_default_questionnaire
from academy.evaluation.models import CourseEvaluation, TestQuestion
from academy.registrations.models import Registration


@pytest.fixture(autouse=True)
def _evaluation_env(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://academy.example.coop"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def default_questionnaire(db):
    return ensure_default_questionnaire()


@pytest.fixture
def past_course(make_course, default_questionnaire):
    """A webinar that ended two days ago."""
    return make_course(title="Comunicare con le famiglie", days=(-2,))


@pytest.fixture
def participants(past_course, make_person):
    people = [make_person() for _ in range(6)]
    for person in people:
        Registration.objects.create(course=past_course, person=person, status=Registration.Status.CONFIRMED)
    return people


QUIZ = [  # (text, choices, correct 1-based)
    ("Capitale d'Italia?", "Milano\nRoma\nTorino", 2),
    ("2 + 2?", "3\n4\n5", 2),
    ("Colore del cielo sereno?", "Azzurro\nVerde", 1),
    ("Quanti giorni ha una settimana?", "5\n7\n10", 2),
]


@pytest.fixture
def with_test(past_course):
    def factory(*, required: bool = True, pass_mark: int = 75, max_attempts: int = 2, questions=QUIZ):
        evaluation, _ = CourseEvaluation.objects.update_or_create(
            course=past_course, defaults={"test_required": required, "pass_mark": pass_mark,
                                          "max_attempts": max_attempts})
        for order, (text, choices, correct) in enumerate(questions):
            TestQuestion.objects.create(evaluation=evaluation, sort_order=order, text_it=text, choices_it=choices,
                                        correct=correct)
        return evaluation

    return factory


def right_answers(attempt, how_many: int) -> dict[int, int]:
    """Answers to ``attempt`` with exactly ``how_many`` correct (the rest wrong)."""
    answers = {}
    for n, (qid, _order) in enumerate(attempt.layout):
        question = TestQuestion.objects.get(pk=qid)
        answers[qid] = question.correct - 1 if n < how_many else (question.correct % len(question.choices))
    return answers
