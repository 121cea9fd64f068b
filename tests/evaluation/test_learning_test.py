"""The learning test: shuffled layout, pass mark at its edges, limited attempts, and the certificate rule."""

from __future__ import annotations

import pytest

from academy.attendance.services import record_minutes
from academy.evaluation import services
from academy.evaluation.models import TestAttempt, TestQuestion
from certificates.rendering.content import certificate_context
from certificates.services import CertificateError, content_for, eligibility_for, issue_certificate
from certificates.services.rules import course_eligibility

from .conftest import right_answers


@pytest.mark.parametrize("correct,total,mark,passed", [
    (3, 4, 75, True),   # exactly at the pass mark
    (2, 4, 75, False),
    (2, 3, 67, False),  # 66.67 % < 67 %
    (2, 3, 66, True),
    (4, 4, 100, True),
    (0, 0, 75, False),  # no questions never passes
])
def test_pass_mark_edges(correct, total, mark, passed):
    assert services.passes(correct, total, mark) is passed


def test_attempt_layout_is_shuffled_and_stable(participants, past_course, with_test):
    with_test()
    person = participants[0]
    first = services.start_attempt(person, past_course)
    assert services.start_attempt(person, past_course).pk == first.pk  # a reload resumes, no new attempt
    assert sorted(qid for qid, _ in first.layout) == sorted(q.pk for q in past_course.evaluation.test_questions.all())
    for qid, order in first.layout:  # every choice shown once
        assert sorted(order) == list(range(len(TestQuestion.objects.get(pk=qid).choices)))
    layouts = set()
    for person in participants[1:]:
        layouts.add(tuple((qid, tuple(order)) for qid, order in services.start_attempt(person, past_course).layout))
    assert len(layouts) > 1  # five people, 4! * choice orders: the same layout for all is (almost) impossible


def test_attempts_are_limited_and_a_pass_ends_them(participants, past_course, with_test):
    with_test(max_attempts=2)
    person = participants[0]
    attempt = services.start_attempt(person, past_course)
    failed = services.submit_attempt(attempt, right_answers(attempt, 2))  # 50 %
    assert (failed.correct, failed.total, failed.passed) == (2, 4, False)
    with pytest.raises(services.EvaluationError):
        services.submit_attempt(attempt, right_answers(attempt, 4))  # an attempt is submitted once
    assert services.attempts_left(person, past_course) == 1
    attempt = services.start_attempt(person, past_course)
    services.submit_attempt(attempt, {})  # nothing answered: all wrong
    assert services.attempts_left(person, past_course) == 0
    with pytest.raises(services.EvaluationError):
        services.start_attempt(person, past_course)
    other = participants[1]
    attempt = services.start_attempt(other, past_course)
    passed = services.submit_attempt(attempt, right_answers(attempt, 3))  # 75 % = pass mark
    assert passed.passed and passed.score_percent == 75
    with pytest.raises(services.EvaluationError):
        services.start_attempt(other, past_course)  # already passed
    assert services.passed_people(past_course) == {other.pk}


def test_test_page_runs_an_attempt(client, participants, past_course, with_test):
    with_test()
    person = participants[0]
    client.force_login(person.user)
    url = f"/it/evaluation/courses/{past_course.pk}/test/"
    assert 'data-testid="test-start"' in client.get(url).content.decode()
    assert not TestAttempt.objects.exists()  # a GET starts nothing
    client.post(url, {"action": "start"})
    attempt = TestAttempt.objects.get()
    page = client.get(url).content.decode()
    assert page.count('data-testid="test-question"') == 4
    data = {"action": "submit", **{f"t{qid}": str(choice) for qid, choice in right_answers(attempt, 4).items()}}
    client.post(url, data)
    attempt.refresh_from_db()
    assert attempt.passed and attempt.correct == 4
    assert 'data-testid="test-passed"' in client.get(url).content.decode()


def test_a_failed_test_is_announced_as_the_page_error(client, participants, past_course, with_test):
    """Issue 27 item 7: after a failed submit the page title says so and the error summary takes the
    focus (``autofocus`` on the alert), like the questionnaire's."""
    with_test()
    client.force_login(participants[0].user)
    url = f"/it/evaluation/courses/{past_course.pk}/test/"
    client.post(url, {"action": "start"})
    page = client.post(url, {"action": "submit"}, follow=True).content.decode()  # nothing answered
    assert "<title>Errore: " in page
    summary = page[page.index('data-testid="error-summary"') - 120:]
    assert 'role="alert"' in summary and "autofocus" in summary and "soglia" in summary
    assert page.count("soglia") == 1  # shown once: in the summary, not again among the notices
    assert "<title>Errore" not in client.get(url).content.decode()  # and only right after the submit


def _attend_all(course, person):
    for session in course.sessions.all():
        record_minutes(session, person, session.planned_minutes, "teams")


def test_certificate_requires_a_passed_test(participants, past_course, with_test):
    with_test(required=True)
    person = participants[0]
    _attend_all(past_course, person)
    verdict = eligibility_for(past_course, person)
    assert verdict.test_passed is False and not verdict.eligible
    with pytest.raises(CertificateError):
        issue_certificate(past_course, person)
    assert course_eligibility(past_course)[person.pk].eligible is False
    attempt = services.start_attempt(person, past_course)
    services.submit_attempt(attempt, right_answers(attempt, 4))
    verdict = eligibility_for(past_course, person)
    assert verdict.test_passed is True and verdict.eligible
    assert course_eligibility(past_course)[person.pk].eligible is True
    certificate = issue_certificate(past_course, person)
    details = dict(certificate_context(content_for(certificate))["details"])
    assert details["Verifica finale di apprendimento"] == "superata con 100% (soglia 75%)"


def test_an_optional_test_does_not_block_the_certificate(participants, past_course, with_test):
    with_test(required=False)
    person = participants[0]
    _attend_all(past_course, person)
    verdict = eligibility_for(past_course, person)
    assert verdict.eligible and verdict.test_passed is None
    certificate = issue_certificate(past_course, person)
    assert "Verifica finale di apprendimento" not in dict(certificate_context(content_for(certificate))["details"])


def test_attendance_is_still_required_with_a_passed_test(participants, past_course, with_test):
    with_test(required=True)
    person = participants[0]
    attempt = services.start_attempt(person, past_course)
    services.submit_attempt(attempt, right_answers(attempt, 4))
    verdict = eligibility_for(past_course, person)
    assert verdict.test_passed is True and not verdict.eligible  # no minutes attended


def test_passing_a_required_test_issues_the_certificate(participants, past_course, with_test,
                                                       django_capture_on_commit_callbacks):
    from certificates.models import Certificate

    with_test(required=True)
    present, absent = participants[0], participants[1]
    _attend_all(past_course, present)
    for person in (present, absent):
        attempt = services.start_attempt(person, past_course)
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_attempt(attempt, right_answers(attempt, 4))
    assert Certificate.objects.filter(course=past_course, person=present).exists()
    assert not Certificate.objects.filter(course=past_course, person=absent).exists()  # attendance still rules
