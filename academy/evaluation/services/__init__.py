"""Evaluation services: the one place for every rule of questionnaires and learning tests."""

from .answering import AnswerValue, clean_answer, has_answered, submit_response
from .inviting import evaluation_links, send_due_invitations
from .results import (
    CourseResults,
    TrainerSummary,
    by_trainer,
    course_results,
    editions,
    series_key,
    trainer_results,
)
from .settings import (
    EvaluationError,
    anonymity_threshold,
    check_may_evaluate,
    evaluation_of,
    has_test,
    is_participant,
    questionnaire_for,
    test_required,
)
from .testing import (
    attempts_left,
    attempts_of,
    best_attempt,
    has_passed,
    open_attempt,
    passed_people,
    passes,
    shown_questions,
    start_attempt,
    submit_attempt,
)

__all__ = [
    "AnswerValue", "CourseResults", "TrainerSummary", "by_trainer", "EvaluationError", "anonymity_threshold", "attempts_left", "attempts_of",
    "best_attempt", "check_may_evaluate", "clean_answer", "course_results", "editions", "evaluation_links",
    "evaluation_of", "has_answered", "has_passed", "has_test", "is_participant", "open_attempt", "passed_people",
    "passes", "questionnaire_for", "send_due_invitations", "series_key", "shown_questions", "start_attempt",
    "submit_attempt", "submit_response", "test_required", "trainer_results",
]
