"""A course that satisfies an obligation of the State-Regions Agreement is refused when the law would not
accept it (FAQ ASR 2025 nn. 46, 59-60; FAQ ASR 2026 q. 33; Part IV 6.3), with a clear message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from academy.courses.models import Trainer
from academy.evaluation.models import CourseEvaluation, TestQuestion
from academy.obligations.models import CourseModule, Obligation


def messages(course) -> str:
    course.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        course.full_clean()
    return " ".join(error.value.messages)


def test_agreement_course_is_refused_until_the_law_is_met(site, make_course):
    course = make_course(days=(10,), title="Aggiornamento lavoratori")
    course.full_clean()  # not linked to an obligation: nothing to check
    workers = Obligation.objects.get(code="workers-medium")
    CourseModule.objects.create(course=course, obligation=workers, hours=Decimal(6), delivery_mode="videoconference")
    session = course.sessions.get()
    session.mode = "hybrid"
    session.save()
    text = messages(course)
    assert "FAQ ASR 2025 n. 46" in text  # classroom and videoconference mixed
    assert "final test" in text and "tutor" in text
    session.mode = "online"
    session.save()
    evaluation = CourseEvaluation.objects.get(course=course)  # created by the obligations signal
    assert evaluation.test_required
    TestQuestion.objects.bulk_create([TestQuestion(evaluation=evaluation, text_it=f"Domanda {n}?", choices_it="a\nb\nc",
                                                   correct=1) for n in range(workers.test_min_questions or 1)])
    trainer = Trainer.objects.create(name="Docente")
    course.trainers.add(trainer)
    course.tutor = trainer  # the trainer cannot be the tutor: the save is refused
    with translation.override("en"), pytest.raises(ValidationError, match="FAQ ASR 2025 nn. 59-60"):
        course.save()
    course.tutor = Trainer.objects.create(name="Tutor")
    course.save()  # now the law is met
    course.full_clean()


def test_no_videoconference_where_the_obligation_allows_none(site, make_course):
    course = make_course(days=(10,), title="Spazi confinati")
    confined = Obligation.objects.get(code="workers-medium")
    confined.allow_videoconference = False
    confined.save()
    CourseModule.objects.create(course=course, obligation=confined, hours=Decimal(4), delivery_mode="elearning")
    session = course.sessions.get()
    session.mode = "online"
    session.save()
    text = messages(course)
    assert "videoconference is not allowed" in text
    assert "e-learning is not allowed" in text
