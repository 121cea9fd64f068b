"""Check-in by trainers/staff, tokens, corrections with audit trail, and the combining rule."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from academy.attendance import services
from academy.attendance.models import AttendanceChange, AttendanceRecord
from academy.attendance.services import AttendanceError
from academy.courses.models import Session


def test_combine_correction_wins_else_larger():
    S = AttendanceRecord.Source
    assert services.combine([]) == 0
    assert services.combine([(S.TEAMS, 50), (S.CHECKIN, 90)]) == 90
    assert services.combine([(S.TEAMS, 95), (S.CHECKIN, 90)]) == 95
    assert services.combine([(S.TEAMS, 95), (S.CORRECTION, 10)]) == 10


def test_attended_minutes_sums_sessions_and_combines_sources(make_course, make_person):
    course = make_course(kind="masterclass", days=(1, 8), minutes=60)
    a, b = course.sessions.order_by("starts_at")
    person = make_person()
    services.record_minutes(a, person, 40, "teams")
    services.record_minutes(a, person, 60, "checkin")
    services.record_minutes(b, person, 30, "teams")
    assert services.minutes_for(person, a) == 60
    assert services.attended_minutes(course) == {person.pk: 90}
    # A cancelled session no longer counts.
    b.cancelled = True
    b.save()
    assert services.attended_minutes(course) == {person.pk: 60}


def test_hr_register_uses_the_same_rule():
    from academy.competences.resources import combined_minutes

    rows = [("teams", 30), ("checkin", 60), ("correction", 45)]
    assert combined_minutes(rows) == services.combine(rows) == 45


@pytest.fixture
def setup(make_course, make_person, register, trainer_of, make_user):
    course = make_course(days=(0,), minutes=120, mode="in_person")
    session = course.sessions.get()
    person = make_person(first_name="Chiara", last_name="Galli")
    registration = register(course, person)
    other_course = make_course(days=(0,), minutes=60)
    return {
        "course": course, "session": session, "person": person, "registration": registration,
        "trainer": trainer_of(course, "trainer-here"),
        "other_trainer": trainer_of(other_course, "trainer-elsewhere"),
        "member": make_person().user,
        "staff": make_user("staffer", staff=True),
    }


@pytest.mark.parametrize("who,allowed", [("trainer", True), ("staff", True), ("other_trainer", False),
                                         ("member", False)])
def test_checkin_page_permissions(client, setup, who, allowed):
    client.force_login(setup[who])
    url = reverse("attendance:session_checkin", args=[setup["session"].pk])
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, {"action": "checkin", "person_id": setup["person"].pk})
    assert response.status_code == (302 if allowed else 403)
    assert AttendanceRecord.objects.filter(person=setup["person"]).exists() is allowed
    if allowed:
        record = AttendanceRecord.objects.get(person=setup["person"])
        assert (record.source, record.minutes) == ("checkin", 120)
        assert record.recorded_by == setup[who]


def test_checkin_page_anonymous_goes_to_login(client, setup):
    response = client.get(reverse("attendance:session_checkin", args=[setup["session"].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_search_by_name(client, setup, make_person, register):
    register(setup["course"], make_person(first_name="Paolo", last_name="Conti"))
    client.force_login(setup["trainer"])
    response = client.get(reverse("attendance:session_checkin", args=[setup["session"].pk]), {"q": "gall"})
    assert [r.person.last_name for r in response.context["rows"]] == ["Galli"]


def test_checkin_refuses_people_without_confirmed_registration(setup, make_person, register):
    stranger = make_person()
    with pytest.raises(AttendanceError):
        services.check_in(setup["session"], stranger, by=setup["trainer"])
    waiting = make_person()
    register(setup["course"], waiting, status="waiting")
    with pytest.raises(AttendanceError):
        services.check_in(setup["session"], waiting, by=setup["trainer"])
    assert not AttendanceRecord.objects.exists()


def test_token_round_trip_and_forgery(setup):
    token = services.checkin_token(setup["registration"])
    assert services.parse_checkin_token(token) == (setup["person"].pk, setup["registration"].pk)
    with pytest.raises(AttendanceError):
        services.parse_checkin_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    forged = f"{setup['person'].pk + 1}.{setup['registration'].pk}:" + token.rsplit(":", 1)[1]
    with pytest.raises(AttendanceError):
        services.parse_checkin_token(forged)


def test_scanned_url_checks_in_at_todays_session(client, setup):
    token = services.checkin_token(setup["registration"])
    url = reverse("attendance:checkin_token", args=[token])
    client.force_login(setup["trainer"])
    assert client.get(url).status_code == 200
    assert not AttendanceRecord.objects.exists()  # a GET never records
    response = client.post(url)
    assert response.status_code == 302
    record = AttendanceRecord.objects.get()
    assert (record.person, record.session, record.minutes) == (setup["person"], setup["session"], 120)


def test_scanned_url_other_trainer_403(client, setup):
    client.force_login(setup["other_trainer"])
    url = reverse("attendance:checkin_token", args=[services.checkin_token(setup["registration"])])
    assert client.post(url).status_code == 403
    assert not AttendanceRecord.objects.exists()


def test_typed_code_on_the_checkin_page_accepts_the_whole_url(client, setup):
    client.force_login(setup["trainer"])
    token = services.checkin_token(setup["registration"])
    scanned = "http://testserver" + reverse("attendance:checkin_token", args=[token])
    client.post(reverse("attendance:session_checkin", args=[setup["session"].pk]),
                {"action": "token", "code": scanned})
    assert AttendanceRecord.objects.get().minutes == 120


def test_no_session_today(setup, make_course, make_person, register):
    course = make_course(days=(3,))
    person = make_person()
    registration = register(course, person)
    with pytest.raises(AttendanceError):
        services.check_in_with_token(services.checkin_token(registration), by=setup["staff"])


def test_current_session_picks_the_nearest_today(make_course):
    course = make_course(kind="masterclass", days=(0, 7), minutes=60)
    today = course.sessions.order_by("starts_at").first()
    assert services.current_session(course) == today
    assert services.current_session(course, today.starts_at + datetime.timedelta(days=1)) is None
    assert services.current_session(course, timezone.localtime(today.starts_at).replace(hour=8)) == today


def test_correction_needs_staff_and_reason_and_is_audited(client, setup):
    session, person = setup["session"], setup["person"]
    services.record_minutes(session, person, 100, "teams")
    with pytest.raises(AttendanceError):
        services.correct(session, person, 30, by=setup["trainer"], reason="left early")
    with pytest.raises(AttendanceError):
        services.correct(session, person, 30, by=setup["staff"], reason="  ")
    client.force_login(setup["staff"])
    url = reverse("attendance:session_checkin", args=[session.pk])
    client.post(url, {"action": "correct", "person_id": person.pk, "minutes": "30", "reason": "left at 16:00"})
    client.post(url, {"action": "correct", "person_id": person.pk, "minutes": "45", "reason": "sign-in sheet"})
    assert services.minutes_for(person, session) == 45
    changes = list(AttendanceChange.objects.order_by("at", "pk").values_list("old_minutes", "new_minutes",
                                                                             "reason", "by"))
    assert changes == [(100, 30, "left at 16:00", setup["staff"].pk), (30, 45, "sign-in sheet", setup["staff"].pk)]
    page = client.get(url)
    assert "sign-in sheet" in page.content.decode()


def test_trainer_cannot_correct_through_the_page(client, setup):
    client.force_login(setup["trainer"])
    client.post(reverse("attendance:session_checkin", args=[setup["session"].pk]),
                {"action": "correct", "person_id": setup["person"].pk, "minutes": "10", "reason": "x"})
    assert not AttendanceChange.objects.exists()


def test_my_academy_shows_checkin_qr(client, setup, make_course, register):
    registration = register(make_course(days=(2,), mode="in_person"), setup["person"])
    client.force_login(setup["person"].user)
    html = client.get(reverse("my_academy")).content.decode()
    token = services.checkin_token(registration)
    assert 'data-testid="checkin-qr"' in html
    assert reverse("attendance:checkin_token", args=[token]) in html


def test_checkin_qr_points_at_the_public_site_whatever_host_the_page_came_from(client, setup, settings):
    # The code is scanned by the trainer's phone, so it must carry the site's public address.
    settings.SITE_URL = "https://academy.example.org"
    # My Academy shows the code for courses not over yet: move today's 15:00 session to tomorrow, so the
    # test does not depend on the time of day it runs at.
    Session.objects.filter(course=setup["course"]).update(starts_at=F("starts_at") + datetime.timedelta(days=1),
                                                          ends_at=F("ends_at") + datetime.timedelta(days=1))
    setup["course"].refresh_schedule()
    client.force_login(setup["person"].user)
    html = client.get(reverse("my_academy"), HTTP_HOST="testserver").content.decode()
    path = reverse("attendance:checkin_token", args=[services.checkin_token(setup["registration"])])
    assert f'data-url="https://academy.example.org{path}"' in html
