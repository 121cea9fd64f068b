"""The course-operations screen: one staff view per course whose tabs (registrations, attendance,
certificates, Teams) the apps register; the former per-course screens lead to the right tab."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from academy.attendance.services import record_minutes
from academy.courses.operations import operations_url, tabs
from academy.registrations.models import Registration
from certificates import services as certificates
from webinars.models import TeamsMeeting, UnmatchedAttendance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def staff_client(client):
    staff = get_user_model().objects.create_user("office", "office@example.org", "pw-12345!", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    return client


@pytest.fixture
def course_in_operation(make_course, make_person):
    """A finished two-session webinar: a confirmed participant who attended and was certified, one on
    the waiting list, a Teams meeting and one attendee Teams could not match."""
    course = make_course(days=(-3, -2), minutes=60, capacity=1, title="Progettazione sociale")
    anna = make_person(first_name="Anna", last_name="Bassi")
    bruno = make_person(first_name="Bruno", last_name="Carli")
    Registration.objects.create(course=course, person=anna, status=Registration.Status.CONFIRMED)
    Registration.objects.create(course=course, person=bruno, status=Registration.Status.WAITING)
    first, second = course.sessions.order_by("starts_at")
    record_minutes(first, anna, 58, "teams")
    record_minutes(second, anna, 41, "checkin")
    certificate = certificates.issue_certificate(course, anna)
    TeamsMeeting.objects.create(session=first, meeting_id="m-1", join_url="https://teams.example/m-1",
                                backend="emulator")  # past sessions get no new meeting: recorded as made then
    UnmatchedAttendance.objects.create(session=first, email="tablet@example.org", display_name="Sala riunioni",
                                       minutes=30)
    return course, anna, bruno, certificate


def test_the_apps_register_their_tabs_in_order():
    assert [tab.key for tab in tabs()] == ["registrations", "attendance", "certificates", "evaluation", "teams"]


def test_each_tab_renders_the_course_data_for_staff(staff_client, course_in_operation):
    course, anna, bruno, certificate = course_in_operation
    pages = {tab.key: staff_client.get(operations_url(course.pk, tab.key)) for tab in tabs()}
    assert {key: page.status_code for key, page in pages.items()} == dict.fromkeys(pages, 200)
    html = {key: page.content.decode() for key, page in pages.items()}
    for key, text in html.items():
        assert f'data-testid="panel-{key}"' in text and "Progettazione sociale" in text
    registrations = html["registrations"].split('data-testid="registrations"')[1]
    assert anna.full_name in registrations and bruno.full_name in registrations
    promote = reverse("academy_registration_action", args=[Registration.objects.get(person=bruno).pk, "promote"])
    assert promote in registrations
    attendance = html["attendance"].split('data-testid="attendance"')[1]
    assert anna.full_name in attendance and "<strong>99</strong>" in attendance and bruno.full_name not in attendance
    for session in course.sessions.all():
        assert reverse("attendance:session_checkin", args=[session.pk]) in attendance
    assert certificate.code in html["certificates"]
    assert reverse("certificates_admin_issue", args=[course.pk]) in html["certificates"]
    assert "Sala riunioni" in html["teams"]
    assert reverse("webinars_teams_import", args=[course.sessions.order_by("starts_at")[0].pk]) in html["teams"]


def test_the_first_tab_is_the_default_and_an_unknown_tab_is_not_found(staff_client, course_in_operation):
    course = course_in_operation[0]
    page = staff_client.get(reverse("academy_course_operations", args=[course.pk]))
    assert page.status_code == 200 and 'data-testid="panel-registrations"' in page.content.decode()
    assert staff_client.get(operations_url(course.pk, "nonsense"), follow=True).status_code == 404


def test_the_english_page_opens_the_course_itself(staff_client, make_course):
    course = make_course(english=True)
    english = course.get_translations().get()
    page = staff_client.get(operations_url(english.pk, "registrations"))
    assert page.status_code == 200 and course.title in page.content.decode()


def test_non_staff_are_refused(client, course_in_operation, make_person):
    course, anna, *_ = course_in_operation
    editor = get_user_model().objects.create_user("editor", password="pw-12345!")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user in (None, anna.user, editor):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in [reverse("academy_course_list")] + [operations_url(course.pk, tab.key) for tab in tabs()]:
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert anna.full_name not in response.content.decode()


def test_the_former_per_course_screens_lead_to_their_tab(staff_client, course_in_operation):
    course = course_in_operation[0]
    for name, tab in [("academy_course_registrations", "registrations"), ("certificates_admin_course", "certificates")]:
        response = staff_client.get(reverse(name, args=[course.pk]))
        assert response.status_code == 302 and response["Location"] == operations_url(course.pk, tab)


def test_actions_return_to_the_tab_they_were_started_from(staff_client, course_in_operation):
    course, anna, bruno, certificate = course_in_operation
    waiting = Registration.objects.get(person=bruno)
    response = staff_client.post(reverse("academy_registration_action", args=[waiting.pk, "cancel"]))
    assert response["Location"] == operations_url(course.pk, "registrations")
    response = staff_client.post(reverse("certificates_admin_action", args=[certificate.pk, "reissue"]))
    assert response["Location"] == operations_url(course.pk, "certificates")
    unmatched = UnmatchedAttendance.objects.get()
    here = operations_url(course.pk, "teams")
    response = staff_client.post(reverse("webinars_teams_resolve", args=[unmatched.pk]),
                                 {"person": bruno.pk, "next": here})
    assert response["Location"] == here
    response = staff_client.post(reverse("webinars_teams_resolve", args=[unmatched.pk]),
                                 {"person": bruno.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("webinars_teams_unmatched:index")


def test_the_course_list_links_each_course_to_its_operations(staff_client, course_in_operation):
    course = course_in_operation[0]
    html = staff_client.get(reverse("academy_course_list")).content.decode()
    assert reverse("academy_course_operations", args=[course.pk]) in html
    assert timezone.localdate() - datetime.timedelta(days=3) <= course.first_starts_at.date()


def test_the_courses_layer_imports_none_of_the_apps_that_register_tabs():
    """The layers contract (pyproject.toml) holds: the tabs come by registration, not by import."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]


def test_revoking_a_certificate_is_a_confirm_step_with_a_reason(staff_client, course_in_operation):
    """Issue 27 item 8: the tab links to a page that shows the certificate and asks for a reason; only
    that page's form revokes, and an empty reason re-shows the page with the error."""
    course, anna, _bruno, certificate = course_in_operation
    url = reverse("certificates_admin_action", args=[certificate.pk, "revoke"])
    tab = staff_client.get(operations_url(course.pk, "certificates")).content.decode()
    assert f'href="{url}"' in tab
    page = staff_client.get(url)
    certificate.refresh_from_db()
    assert page.status_code == 200 and certificate.is_valid  # looking is not revoking
    assert "Anna Bassi" in page.content.decode() and 'name="reason" required' in page.content.decode()
    empty = staff_client.post(url, {"reason": "  "})
    assert empty.status_code == 400 and 'data-testid="revoke-error"' in empty.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid
    done = staff_client.post(url, {"reason": "Presenze registrate per errore"})
    assert done["Location"] == operations_url(course.pk, "certificates")
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_reason == "Presenze registrate per errore"


def test_certificate_detail_shows_rome_time_and_a_dash_for_nothing(staff_client, course_in_operation):
    from django.utils import translation
    from django.utils.formats import date_format

    certificate = course_in_operation[3]
    with translation.override("it"):
        body = staff_client.get(reverse("certificates_list:inspect", args=[certificate.pk]),
                                HTTP_ACCEPT_LANGUAGE="it").content.decode()
        rome = date_format(timezone.localtime(certificate.issued_at), "SHORT_DATETIME_FORMAT")
    details = body[body.index("<dl"):body.rindex("</dl>")]
    assert rome in details, details
    assert "None" not in details
    assert "Persona" in body and "Revocato il" in body
