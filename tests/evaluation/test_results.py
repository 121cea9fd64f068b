"""Invitations and reminders, results behind the anonymity threshold, trainers' scope, export, privacy."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook

from academy.core import privacy
from academy.core.models import OutboxMessage
from academy.core.periodic import run_periodic
from academy.courses.models import Trainer
from academy.evaluation import services
from academy.evaluation.models import Answer, CourseEvaluation, Invitation, Response, TestAttempt
from academy.evaluation.services.inviting import REMINDER_AFTER

from .conftest import right_answers
from .test_answering import full_answers


def test_invitation_once_then_one_reminder(participants, past_course):
    now = timezone.now()
    assert services.send_due_invitations(now) == len(participants)
    assert services.send_due_invitations(now + datetime.timedelta(hours=1)) == 0
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert f"evaluation:{past_course.pk}:{participants[0].pk}:invitation" in keys
    message = OutboxMessage.objects.get(key=f"evaluation:{past_course.pk}:{participants[0].pk}:invitation")
    assert message.to == participants[0].email
    assert f"https://academy.example.coop/it/evaluation/courses/{past_course.pk}/questionnaire/" in message.body
    services.submit_response(participants[0], past_course, full_answers(services.questionnaire_for(past_course)))
    later = now + REMINDER_AFTER
    assert services.send_due_invitations(later) == len(participants) - 1  # not who answered
    assert services.send_due_invitations(later + datetime.timedelta(days=5)) == 0  # one reminder only
    assert not OutboxMessage.objects.filter(key=f"evaluation:{past_course.pk}:{participants[0].pk}:reminder").exists()


def test_the_periodic_step_invites(participants, past_course):
    assert not run_periodic(timezone.now())
    assert Invitation.objects.filter(course=past_course, invited_at__isnull=False).count() == len(participants)


def test_courses_ended_long_ago_or_not_yet_get_no_invitation(make_course, make_person, default_questionnaire):
    from academy.registrations.models import Registration

    old = make_course(days=(-60,))
    future = make_course(days=(5,))
    for course in (old, future):
        Registration.objects.create(course=course, person=make_person(), status=Registration.Status.CONFIRMED)
    assert services.send_due_invitations() == 0


def _answer(participants, course, ratings):
    questionnaire = services.questionnaire_for(course)
    for person, rating in zip(participants, ratings, strict=False):
        services.submit_response(person, course, full_answers(questionnaire, rating=rating,
                                                              comment=f"Commento {rating}"))


def test_no_breakdown_below_the_threshold(participants, past_course):
    services.send_due_invitations()
    _answer(participants, past_course, [5, 4, 4, 3])
    results = services.course_results(past_course)
    assert (results.invited, results.answered, results.responses) == (6, 4, 4)
    assert results.response_rate == 67
    assert not results.shown and results.questions == [] and results.overall is None
    _answer(participants[4:], past_course, [2])
    results = services.course_results(past_course)
    assert results.shown and results.responses == 5
    first = results.questions[0]
    assert first.average == Decimal("3.60") and [c for _l, c, _p in first.distribution] == [0, 1, 1, 2, 1]
    assert results.questions[-1].comments == sorted(f"Commento {r}" for r in [5, 4, 4, 3, 2])


def test_threshold_is_per_course(participants, past_course):
    CourseEvaluation.objects.create(course=past_course, anonymity_threshold=2)
    _answer(participants, past_course, [5, 4])
    assert services.course_results(past_course).shown


def _trainer(course=None, name="Docente"):
    user = get_user_model().objects.create_user(f"{name}@example.coop", f"{name}@example.coop", "pw-12345!")
    trainer = Trainer.objects.create(name=name, user=user)
    if course is not None:
        course.trainers.add(trainer)
        course.save()
    return user


def test_results_pages_for_the_trainer_only(client, participants, past_course):
    mine = _trainer(past_course, "mine")
    other = _trainer(None, "other")
    url = f"/it/evaluation/courses/{past_course.pk}/results/"
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert client.get(url.replace("results/", "results.xlsx")).status_code == 403
    client.force_login(participants[0].user)
    assert client.get(url).status_code == 403
    client.force_login(mine)
    _answer(participants, past_course, [5, 4, 4])
    page = client.get(url).content.decode()
    assert 'data-testid="below-threshold"' in page and "Commento" not in page
    _answer(participants[3:], past_course, [3, 2])
    page = client.get(url).content.decode()
    assert page.count('data-testid="result-question"') == 6 and "Commento 2" in page
    assert "<svg" in page and "<table" in page and " style=" not in page  # chart beside its table, CSP-safe
    listing = client.get("/it/evaluation/results/").content.decode()
    assert past_course.title in listing
    client.force_login(participants[0].user)
    assert client.get("/it/evaluation/results/").status_code == 403


def test_xlsx_export_neutralises_formulas(client, participants, past_course):
    CourseEvaluation.objects.create(course=past_course, anonymity_threshold=1)
    questionnaire = services.questionnaire_for(past_course)
    services.submit_response(participants[0], past_course, full_answers(questionnaire, comment="=HYPERLINK(1)"))
    client.force_login(_trainer(past_course))
    response = client.get(f"/it/evaluation/courses/{past_course.pk}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 4
    comments = [row for row in book.worksheets[2].iter_rows(values_only=True)]
    assert comments[1][1] == "'=HYPERLINK(1)"


def test_editions_share_a_title(make_course, default_questionnaire):
    first = make_course(title="Privacy nel terzo settore", days=(-400,))
    make_course(title="Privacy nel terzo settore (2ª edizione)", days=(-30,))
    make_course(title="Altro corso", days=(-20,))
    assert services.series_key("Privacy nel terzo settore - 2025") == services.series_key(first.title)
    staff = get_user_model().objects.create_user("ufficio@example.coop", is_staff=True)
    assert [e.course.title for e in services.editions(first, staff)] == [
        "Privacy nel terzo settore", "Privacy nel terzo settore (2ª edizione)"]


def test_privacy_exports_attempts_and_erases_them_answers_stay(participants, past_course, with_test):
    with_test()
    person = participants[0]
    services.submit_response(person, past_course, full_answers(services.questionnaire_for(past_course)))
    attempt = services.start_attempt(person, past_course)
    services.submit_attempt(attempt, right_answers(attempt, 3))
    data = privacy.export_person(person)["evaluation"]
    assert data["test_attempts"][0]["correct"] == 3 and data["test_attempts"][0]["passed"] is True
    assert data["questionnaires"][0]["answered"] is True
    assert "answers" not in data["questionnaires"][0]
    privacy.erase_person(person)
    assert not TestAttempt.objects.filter(person=person).exists()
    assert not Invitation.objects.filter(person=person).exists()
    assert Response.objects.count() == 1 and Answer.objects.count() > 0  # anonymous: nobody's to erase


def test_retention_purges_old_attempts(participants, past_course, with_test, settings):
    from academy.evaluation.privacy import purge_expired

    with_test()
    attempt = services.start_attempt(participants[0], past_course)
    services.submit_attempt(attempt, {})
    assert purge_expired() == 0
    later = timezone.now() + datetime.timedelta(days=settings.ACADEMY["RETENTION_DAYS"] + 3)
    assert purge_expired(later) >= 1
    assert not TestAttempt.objects.exists()


def test_staff_see_results_by_trainer(client, participants, past_course, make_course, make_person):
    from academy.registrations.models import Registration

    mine = _trainer(past_course, "Anna Docente")
    _answer(participants, past_course, [5, 5, 4, 4, 3])
    other = make_course(title="Altro corso", days=(-5,))
    other.trainers.add(Trainer.objects.get(user=mine))
    other.save()
    person = make_person()
    Registration.objects.create(course=other, person=person, status=Registration.Status.CONFIRMED)
    _answer([person], other, [1])  # one answer: counted, but its mean stays hidden
    rows = services.trainer_results([past_course, other])
    summary = services.by_trainer(rows)
    assert [(s.trainer.name, s.courses, s.responses) for s in summary] == [("Anna Docente", 2, 6)]
    assert summary[0].average == services.course_results(past_course).overall
    staff = get_user_model().objects.create_user("ufficio@example.coop", "ufficio@example.coop", "pw-12345!",
                                                 is_staff=True)
    client.force_login(staff)
    page = client.get("/it/evaluation/results/").content.decode()
    assert 'data-testid="by-trainer"' in page and "Anna Docente" in page
    client.force_login(mine)
    assert 'data-testid="by-trainer"' not in client.get("/it/evaluation/results/").content.decode()


def test_one_more_answer_changes_no_published_figure(participants, past_course):
    """Issue 23 item 7: results are published in batches of at least the threshold, so comparing the
    results before and after one more answer reveals nothing of that answer."""
    _answer(participants, past_course, [5, 4, 4, 3, 2])
    before = services.course_results(past_course)
    _answer(participants[5:], past_course, [1])
    after = services.course_results(past_course)
    assert after.responses == 6  # the count of answers is no secret
    assert [(q.count, q.average, q.distribution, q.comments) for q in after.questions] == [
        (q.count, q.average, q.distribution, q.comments) for q in before.questions]
    assert after.overall == before.overall


def test_the_next_batch_is_published_once_threshold_more_answers_arrive(participants, past_course):
    CourseEvaluation.objects.create(course=past_course, anonymity_threshold=2)
    _answer(participants, past_course, [5, 3])
    assert services.course_results(past_course).questions[0].average == Decimal("4.00")
    _answer(participants[2:], past_course, [1])
    assert services.course_results(past_course).questions[0].average == Decimal("4.00")
    _answer(participants[3:], past_course, [1])
    assert services.course_results(past_course).questions[0].average == Decimal("2.50")


def test_a_trainer_compares_only_their_own_editions(client, participants, past_course, make_course):
    mine = _trainer(past_course, "mine")
    other_edition = make_course(title=f"{past_course.title} (2ª edizione)", days=(-3,))
    _trainer(other_edition, "other")
    staff = get_user_model().objects.create_user("staff@example.coop", "staff@example.coop", "x", is_staff=True)

    assert [e.course.pk for e in services.editions(past_course, viewer=mine)] == [past_course.pk]
    assert {e.course.pk for e in services.editions(past_course, viewer=staff)} == {past_course.pk, other_edition.pk}
    client.force_login(mine)
    page = client.get(f"/it/evaluation/courses/{past_course.pk}/results/").content.decode()
    assert "2ª edizione" not in page
    book = load_workbook(io.BytesIO(client.get(f"/it/evaluation/courses/{past_course.pk}/results.xlsx").content))
    assert all("2ª edizione" not in str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
