"""The Teams admin lists (Wagtail viewsets): staff see and export them, act on a row with POST;
editors who may use the Wagtail admin but are not the Academy office see none of it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from academy.attendance.models import AttendanceRecord
from webinars import teams
from webinars.models import EmailAlias, GraphOperation, UnmatchedAttendance

pytestmark = pytest.mark.django_db

LISTS = ["webinars_teams_meetings:index", "webinars_teams_unmatched:index", "webinars_teams_aliases:index",
         "webinars_teams_operations:index", "webinars_teams_accounts:index"]


@pytest.fixture
def course_with_unmatched(make_course):
    course = make_course()
    session = course.sessions.get()
    teams.ensure_meetings([session], notify=False)
    unmatched = UnmatchedAttendance.objects.create(session=session, email="casa@example.org",
                                                   display_name="Anna (casa)", minutes=40)
    return session, unmatched


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    return client


@pytest.mark.parametrize("name", LISTS)
def test_staff_see_each_list_and_editors_do_not(name, course_with_unmatched, admin_client, editor_client):
    assert admin_client.get(reverse(name)).status_code == 200
    response = editor_client.get(reverse(name))
    assert response.status_code in (302, 403)
    assert b"casa@example.org" not in response.content


def test_lists_show_rows_with_their_actions(course_with_unmatched, admin_client):
    session, unmatched = course_with_unmatched

    page = admin_client.get(reverse("webinars_teams_unmatched:index")).content.decode()

    assert "casa@example.org" in page
    assert reverse("webinars_teams_resolve", args=[unmatched.pk]) in page
    meetings = admin_client.get(reverse("webinars_teams_meetings:index")).content.decode()
    assert str(session) in meetings


def test_operations_log_exports_as_csv_with_filters(course_with_unmatched, admin_client):
    key = GraphOperation.objects.get(kind=GraphOperation.Kind.CREATE).idempotency_key

    response = admin_client.get(reverse("webinars_teams_operations:index"), {"export": "csv", "kind": "create"})

    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert response.status_code == 200 and key in body
    assert "batch:" not in body  # the kind filter applies to the export


def test_resolving_from_the_list_records_the_minutes_and_the_alias(course_with_unmatched, admin_client,
                                                                    make_person):
    session, unmatched = course_with_unmatched
    anna = make_person(email="anna@gamma.coop")
    url = reverse("webinars_teams_resolve", args=[unmatched.pk])

    response = admin_client.post(url, {"person": anna.pk})

    assert response.status_code == 302 and response.url == reverse("webinars_teams_unmatched:index")
    assert AttendanceRecord.objects.get(session=session, person=anna).minutes == 40
    assert EmailAlias.objects.get().person == anna
    unmatched.refresh_from_db()
    assert unmatched.resolved_by is not None


def test_editor_cannot_resolve(course_with_unmatched, editor_client, make_person):
    _session, unmatched = course_with_unmatched
    anna = make_person(email="anna@gamma.coop")

    response = editor_client.post(reverse("webinars_teams_resolve", args=[unmatched.pk]), {"person": anna.pk})

    assert response.status_code in (302, 403)  # Wagtail turns the refusal into a redirect to its home
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    assert not EmailAlias.objects.exists()
    unmatched.refresh_from_db()
    assert unmatched.resolved_at is None
