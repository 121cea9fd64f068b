"""Staff edit questionnaires and a course's test in the Wagtail admin; others are kept out."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from academy.evaluation.models import CourseEvaluation, TestQuestion


def _staff():
    return get_user_model().objects.create_user("ufficio@example.coop", "ufficio@example.coop", "pw-12345!",
                                                is_staff=True, is_superuser=True)


def test_staff_screens_render(client, past_course, default_questionnaire):
    client.force_login(_staff())
    for url in ("/admin/academy/evaluation/questionnaires/", f"/admin/academy/evaluation/questionnaires/edit/{default_questionnaire.pk}/",
                "/admin/academy/evaluation/courses/", "/admin/academy/evaluation/courses/new/",
                "/admin/academy/evaluation/attempts/", f"/admin/academy/courses/{past_course.pk}/?tab=evaluation"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/admin/academy/courses/{past_course.pk}/?tab=evaluation").content.decode()
    assert 'data-testid="evaluation-tab"' in page


def test_staff_add_a_test_through_the_admin_form(client, past_course, default_questionnaire):
    client.force_login(_staff())
    data = {
        "course": past_course.pk, "questionnaire": "", "survey_enabled": "on", "anonymity_threshold": "5",
        "test_required": "on", "pass_mark": "80", "max_attempts": "2",
        "test_questions-TOTAL_FORMS": "1", "test_questions-INITIAL_FORMS": "0",
        "test_questions-MIN_NUM_FORMS": "0", "test_questions-MAX_NUM_FORMS": "1000",
        "test_questions-0-text_it": "Domanda?", "test_questions-0-text_en": "", "test_questions-0-choices_it": "Sì\nNo",
        "test_questions-0-choices_en": "", "test_questions-0-correct": "1", "test_questions-0-ORDER": "1",
        "test_questions-0-id": "", "test_questions-0-DELETE": "",
    }
    response = client.post("/admin/academy/evaluation/courses/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    evaluation = CourseEvaluation.objects.get(course=past_course)
    assert evaluation.pass_mark == 80 and evaluation.test_required
    assert TestQuestion.objects.get(evaluation=evaluation).correct == 1


def test_members_and_editors_are_kept_out(client, participants, past_course):
    editor = get_user_model().objects.create_user("redazione@example.coop", "redazione@example.coop", "pw-12345!")
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Editori prova")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    for url in ("/admin/academy/evaluation/questionnaires/", "/admin/academy/evaluation/courses/new/"):
        assert client.get(url).status_code in (302, 403), url
