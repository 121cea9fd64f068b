"""The satisfaction questionnaire: who may answer, once, and answers that cannot be tied to a person."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from academy.evaluation import services
from academy.evaluation.models import Answer, Invitation, Question, Response
from academy.network.models import Person
from academy.registrations.models import Registration


def full_answers(questionnaire, rating: int = 4, comment: str = ""):
    answers = {}
    for q in questionnaire.questions.all():
        if q.kind == Question.Kind.RATING:
            answers[q.pk] = services.AnswerValue(rating=rating)
        elif q.kind == Question.Kind.TEXT:
            answers[q.pk] = services.AnswerValue(text=comment)
    return answers


def test_default_questionnaire_is_shipped_in_both_languages(default_questionnaire, past_course):
    assert services.questionnaire_for(past_course) == default_questionnaire
    questions = list(default_questionnaire.questions.all())
    assert [q.kind for q in questions] == ["rating"] * 5 + ["text"]
    assert all(q.text_it and q.text_en for q in questions)
    assert not questions[-1].required  # free comments are optional


def test_answer_models_have_no_path_to_a_person():
    """No relation, no time of day, no sequential id: nothing to join or line up with the people."""
    person_models = {Person, get_user_model(), Registration, Invitation}
    for model in (Response, Answer):
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) not in person_models, (model, field)
            assert not isinstance(field, models.DateTimeField | models.TimeField), (model, field)
        assert isinstance(model._meta.pk, models.UUIDField)
    # and nothing points from the people's side to the answers
    for model in person_models:
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) not in (Response, Answer), (model, field)


def test_submission_records_that_not_what(participants, past_course, default_questionnaire):
    person = participants[0]
    response = services.submit_response(person, past_course, full_answers(default_questionnaire, comment="Ottimo"))
    assert services.has_answered(person, past_course)
    invitation = Invitation.objects.get(course=past_course, person=person)
    assert invitation.answered is True
    row = Response.objects.filter(pk=response.pk).values().get()
    assert set(row) == {"id", "course_id", "questionnaire_id", "submitted_on", "published"}
    assert isinstance(row["submitted_on"], datetime.date) and not isinstance(row["submitted_on"], datetime.datetime)
    assert Answer.objects.filter(response=response).count() == 6
    values = [str(v) for v in Answer.objects.filter(response=response).values_list("id", "text")]
    assert not any(person.email in v or str(person.pk) == v for v in values)


def test_once_only_and_only_participants_after_the_end(participants, past_course, default_questionnaire, make_person,
                                                       make_course):
    answers = full_answers(default_questionnaire)
    services.submit_response(participants[0], past_course, answers)
    with pytest.raises(services.EvaluationError):
        services.submit_response(participants[0], past_course, answers)
    assert Response.objects.filter(course=past_course).count() == 1
    with pytest.raises(services.EvaluationError):
        services.submit_response(make_person(), past_course, answers)  # not registered
    future = make_course(days=(3,))
    Registration.objects.create(course=future, person=participants[1], status=Registration.Status.CONFIRMED)
    with pytest.raises(services.EvaluationError):
        services.submit_response(participants[1], future, answers)  # not over yet
    cancelled = participants[2]
    Registration.objects.filter(course=past_course, person=cancelled).update(status=Registration.Status.CANCELLED)
    with pytest.raises(services.EvaluationError):
        services.submit_response(cancelled, past_course, answers)


def test_required_questions_must_be_answered(participants, past_course, default_questionnaire):
    answers = full_answers(default_questionnaire)
    first = default_questionnaire.questions.first()
    del answers[first.pk]
    with pytest.raises(services.EvaluationError):
        services.submit_response(participants[0], past_course, answers)
    assert not services.has_answered(participants[0], past_course)
    assert not Response.objects.exists()


@pytest.mark.parametrize("kind,raw,expected", [
    ("rating", ["5"], services.AnswerValue(rating=5)),
    ("rating", ["0"], ValueError),
    ("rating", ["6"], ValueError),
    ("rating", ["3", "4"], ValueError),
    ("rating", [], ValueError),  # required
    ("single", ["1"], services.AnswerValue(choices=(1,))),
    ("single", ["0", "1"], ValueError),
    ("single", ["3"], ValueError),  # out of range
    ("multiple", ["2", "0", "2"], services.AnswerValue(choices=(0, 2))),
    ("multiple", ["x"], ValueError),
    ("text", ["  bello  "], services.AnswerValue(text="bello")),
    ("text", ["x" * 4001], ValueError),
])
def test_clean_answer(kind, raw, expected):
    question = Question(kind=kind, text_it="Q", choices_it="a\nb\nc", required=True)
    if expected is ValueError:
        with pytest.raises(ValueError):
            services.clean_answer(question, raw)
    else:
        assert services.clean_answer(question, raw) == expected


def test_form_page_errors_are_announced_and_submission_works(client, participants, past_course,
                                                           default_questionnaire):
    person = participants[0]
    client.force_login(person.user)
    url = f"/it/evaluation/courses/{past_course.pk}/questionnaire/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == 5 and html.count("<legend") == 5 and "<textarea" in html
    questions = list(default_questionnaire.questions.all())
    partial = {f"q{questions[0].pk}": "5"}
    page = client.post(url, partial)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'role="alert"' in html and 'aria-invalid="true"' in html and f'id="q{questions[1].pk}-error"' in html
    assert not services.has_answered(person, past_course)
    data = {f"q{q.pk}": "4" for q in questions if q.kind == "rating"}
    data[f"q{questions[-1].pk}"] = "Molto utile"
    assert client.post(url, data).status_code == 302
    assert services.has_answered(person, past_course)
    assert 'data-testid="answered"' in client.get(url).content.decode()  # the thank-you page, not the form again
    assert Answer.objects.filter(text="Molto utile").exists()


def test_form_refuses_outsiders(client, participants, past_course, make_person):
    outsider = make_person()
    client.force_login(outsider.user)
    assert client.get(f"/it/evaluation/courses/{past_course.pk}/questionnaire/").status_code == 403


def test_my_academy_links_the_open_questionnaire(client, participants, past_course, default_questionnaire):
    person = participants[0]
    client.force_login(person.user)
    url = f"/it/evaluation/courses/{past_course.pk}/questionnaire/"
    assert url in client.get("/it/my-academy/").content.decode()
    services.submit_response(person, past_course, full_answers(default_questionnaire), now=timezone.now())
    assert url not in client.get("/it/my-academy/").content.decode()
