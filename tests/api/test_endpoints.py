"""The API shows the same services as the pages: catalogue, registering, HR scope, staff data."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from academy.api.models import ApiAccessLog
from academy.attendance.services import record_minutes
from academy.network.models import HROfficer
from academy.registrations import services
from academy.registrations.models import Registration
from certificates.services import issue_certificate
from tests.security.conftest import move_into_the_past

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_public_with_seats_and_text_in_the_language_asked(api, make_course):
    course = make_course(capacity=2, english=True)
    response = api().get("/api/v1/catalogue/courses/", {"lang": "en"})
    assert response.status_code == 200
    row = next(r for r in response.json()["results"] if r["id"] == course.pk)
    assert row["title"].startswith("Test course") and row["seats_free"] == 2
    assert row["registration_state"] == "open" and len(row["sessions"]) == 1
    italian = api().get(f"/api/v1/catalogue/courses/{course.pk}/").json()
    assert italian["title"] == course.title


def test_bad_filters_and_unknown_courses_are_problem_documents(api, site):
    response = api().get("/api/v1/catalogue/courses/", {"starts_from": "05/12/2026"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "starts_from" in response.json()["errors"]
    missing = api().get("/api/v1/catalogue/courses/999999/")
    assert missing.status_code == 404 and missing.json()["title"] == "Not found"


def test_a_member_registers_through_the_service_once_and_is_told_of_a_duplicate(
        api, make_course, make_person, token_for, django_capture_on_commit_callbacks):
    course = make_course(capacity=1)
    person = make_person()
    secret = token_for(person.user, scope="write")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(secret).post("/api/v1/me/registrations/", {"course": course.pk, "consent": True},
                                    format="json")
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    assert Registration.objects.filter(person=person, course=course).count() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]
    again = api(secret).post("/api/v1/me/registrations/", {"course": course.pk, "consent": True}, format="json")
    assert again.status_code == 409
    assert again.json()["type"] == "urn:academy:registration:AlreadyRegistered"
    other = make_person()
    waiting = api(token_for(other.user, scope="write")).post(
        "/api/v1/me/registrations/", {"course": course.pk, "consent": True}, format="json")
    assert waiting.json()["status"] == "waiting" and waiting.json()["waiting_position"] == 1


def test_a_read_token_changes_nothing(api, make_course, make_person, token_for):
    course = make_course()
    person = make_person()
    response = api(token_for(person.user)).post("/api/v1/me/registrations/", {"course": course.pk, "consent": True},
                                                format="json")
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_member_cancels_only_their_own_registration(api, make_course, make_person, token_for):
    course = make_course()
    mine, theirs = make_person(), make_person()
    registration = services.register(theirs, course, by=theirs.user)
    response = api(token_for(mine.user, scope="write")).post(f"/api/v1/me/registrations/{registration.pk}/cancel/")
    assert response.status_code == 404
    own = api(token_for(theirs.user, scope="write")).post(f"/api/v1/me/registrations/{registration.pk}/cancel/")
    assert own.status_code == 200 and own.json()["status"] == "cancelled"


def test_hr_reads_only_their_organisations_and_every_read_is_logged(api, site, make_person, hr_officer, token_for):
    gamma_worker = make_person(org=site.organisations["Cooperativa Gruppo Gamma"])
    nazareth_worker = make_person(org=site.organisations["Cooperativa Nazareth"])
    secret = token_for(hr_officer("Cooperativa Gruppo Gamma"))
    people = api(secret).get("/api/v1/hr/people/", {"limit": 500}).json()["results"]
    ids = {p["id"] for p in people}
    assert gamma_worker.pk in ids and nazareth_worker.pk not in ids
    assert api(secret).get(f"/api/v1/hr/people/{nazareth_worker.pk}/").status_code == 404
    log = ApiAccessLog.objects.order_by("at")
    assert [(entry.path.split("?")[0], entry.status) for entry in log] == [
        ("/api/v1/hr/people/", 200), (f"/api/v1/hr/people/{nazareth_worker.pk}/", 404)]
    assert log[0].people == len(people)


def test_a_member_token_reads_no_hr_or_staff_data(api, make_course, make_person, token_for):
    course = make_course()
    secret = token_for(make_person().user, scope="write")
    for url in ("/api/v1/hr/people/", "/api/v1/hr/certificates/", f"/api/v1/staff/courses/{course.pk}/registrations/",
                f"/api/v1/staff/courses/{course.pk}/attendance/"):
        assert api(secret).get(url).status_code == 403, url


def test_an_organisation_token_sees_its_organisation_only_even_for_a_consortium_officer(
        api, site, make_person, staff_user):
    from academy.api import tokens

    consortium = site.organisations["Consorzio Solco Cremona"]
    officer = make_person(org=consortium).user
    HROfficer.objects.create(user=officer, organisation=consortium)
    HROfficer.objects.create(user=officer, organisation=site.organisations["Cooperativa Gruppo Gamma"])
    nazareth_worker = make_person(org=site.organisations["Cooperativa Nazareth"])
    _t, secret = tokens.issue_organisation_token(by=staff_user, officer=officer,
                                                 organisation=site.organisations["Cooperativa Gruppo Gamma"], name="x")
    ids = {p["id"] for p in api(secret).get("/api/v1/hr/people/", {"limit": 500}).json()["results"]}
    assert nazareth_worker.pk not in ids
    personal = {p["id"] for p in api(tokens.create_personal_token(officer, name="p")[1]).get(
        "/api/v1/hr/people/", {"limit": 500}).json()["results"]}
    assert nazareth_worker.pk in personal


def test_staff_read_registrations_and_hr_reads_certificates_with_their_verification_url(
        api, make_course, make_person, staff_user, token_for, hr_officer):
    course = make_course(days=(3,), minutes=60)
    person = make_person()
    services.register(person, course, by=staff_user)
    move_into_the_past(course)
    rows = api(token_for(staff_user)).get(f"/api/v1/staff/courses/{course.pk}/registrations/").json()["results"]
    assert [r["person"] for r in rows] == [person.pk]
    session = course.scheduled_sessions()[0]
    record_minutes(session, person, 60, "checkin")
    attendance = api(token_for(staff_user)).get(f"/api/v1/staff/courses/{course.pk}/attendance/").json()
    assert attendance == [{"person": person.pk, "session": session.pk, "minutes": 60}]
    certificate = issue_certificate(course, person)
    hr_rows = api(token_for(hr_officer())).get("/api/v1/hr/certificates/").json()["results"]
    assert [r["code"] for r in hr_rows] == [certificate.code]
    assert hr_rows[0]["verification_url"].startswith("http") and certificate.code in hr_rows[0]["verification_url"]


def test_the_schema_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/me/registrations/" in text and "/admin/" not in text


def test_a_search_with_a_quote_or_a_nul_is_an_answer_not_an_error(api, make_course):
    """Found by schemathesis: SQLite's full-text syntax refused an unpaired quote (a 500)."""
    course = make_course(title="Privacy e tutela della salute")
    found = api().get("/api/v1/catalogue/courses/", {"q": 'privacy "'})
    assert found.status_code == 200 and [r["id"] for r in found.json()["results"]] == [course.pk]
    refused = api().get("/api/v1/catalogue/courses/", {"q": "a\x00b"})
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert "q" in refused.json()["errors"]
