"""Issue 26: meetings a trainer can run (presenters, lobby admitters, lobby scope), the right link in
every e-mail, deleted meetings noticed, attendance that converges, identity outages that end the pass.
Every test runs over real HTTPS against the project's Graph emulator."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from academy.attendance.services import minutes_for
from academy.core.models import OutboxMessage
from academy.core.outbox import render
from academy.courses.models import Session, Trainer
from academy.registrations import services as registrations
from academy.registrations.models import Registration
from webinars import teams
from webinars.backends import GraphBackend
from webinars.graph import GraphBadRequest, GraphClient, GraphUnavailableError
from webinars.models import AttendanceStatus, GraphOperation, TeamsAccount, TeamsMeeting

pytestmark = pytest.mark.django_db

TRAINER_ID = "33333333-3333-4333-8333-333333333333"
PRODUCER_ID = "44444444-4444-4444-8444-444444444444"


@pytest.fixture
def graph_settings(settings, graph_emulator):
    settings.TEAMS = {**settings.TEAMS, **{k.removeprefix("TEAMS_"): v for k, v in graph_emulator.env().items()},
                      "MAX_RETRIES": "1", "MAX_BACKOFF": "0.01"}
    return graph_emulator


def _backend(emulator, sleeps, **config):
    return GraphBackend(GraphClient(emulator.config(**config), sleep=sleeps))


def _with_trainers(course, make_person):
    """Two trainers: Carla has an account in the tenant, Dario (external) has none."""
    carla_person = make_person(first_name="Carla", preferred_language="it")
    dario_person = make_person(first_name="Dario", preferred_language="en")
    carla = Trainer.objects.create(name="Carla Verdi", user=carla_person.user)
    dario = Trainer.objects.create(name="Dario Neri", user=dario_person.user)
    TeamsAccount.objects.create(trainer=carla, user_id=TRAINER_ID, upn="carla.verdi@academy.example")
    course.trainers.set([carla, dario])
    course.save()
    return carla, dario


def _ended(session):
    """Move a session into the past without announcing it (as if time had passed)."""
    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at - datetime.timedelta(days=30),
                                                 ends_at=session.ends_at - datetime.timedelta(days=30))
    return Session.objects.get(pk=session.pk)


# -- 1. presenters and lobby admitters --------------------------------------------------------------


def test_trainers_with_a_tenant_account_present_and_admit_the_lobby(make_course, make_person, graph_emulator,
                                                                    sleeps, settings):
    settings.TEAMS = {**settings.TEAMS, "PRODUCERS": PRODUCER_ID}
    course = make_course()
    carla, dario = _with_trainers(course, make_person)

    result = teams.ensure_meetings(list(course.sessions.all()), backend=_backend(graph_emulator, sleeps))

    (meeting,) = result.meetings
    remote = graph_emulator.meetings[meeting.meeting_id]
    assert remote["allowedPresenters"] == "roleIsPresenter"  # nobody else presents
    assert remote["allowedLobbyAdmitters"] == "organizerAndCoOrganizersAndPresenters"
    roles = {(a["identity"]["user"]["id"], a["role"]) for a in remote["participants"]["attendees"]}
    assert roles == {(TRAINER_ID, "presenter"), (PRODUCER_ID, "coorganizer")}
    # Each trainer gets their own invitation saying what they can do and how.
    by_trainer = {m.to: render(m) for m in OutboxMessage.objects.filter(key__startswith="teams-trainer:")}
    own, fallback = by_trainer[carla.user.email], by_trainer[dario.user.email]
    assert meeting.join_url in own.body and meeting.join_url in fallback.body
    assert "carla.verdi@academy.example" in own.body and "presentatore" in own.body  # Italian
    assert "Make a presenter" in fallback.body and "lobby" in fallback.body  # English: the fallback


def test_a_trainer_account_added_later_is_made_presenter_of_the_upcoming_meetings(
        make_course, make_person, graph_settings):
    course = make_course()
    carla, dario = _with_trainers(course, make_person)
    teams.scheduled_pass()
    meeting = TeamsMeeting.objects.get(session=course.sessions.get())
    TeamsAccount.objects.create(trainer=dario, user_id=PRODUCER_ID, upn="dario@academy.example")

    teams.scheduled_pass()  # the account reset the meeting's check: GET, then PATCH what differs

    remote = graph_settings.meetings[meeting.meeting_id]
    roles = {(a["identity"]["user"]["id"], a["role"]) for a in remote["participants"]["attendees"]}
    assert roles == {(TRAINER_ID, "presenter"), (PRODUCER_ID, "presenter")}
    dario_mails = [render(m) for m in OutboxMessage.objects.filter(to=dario.user.email).order_by("pk")]
    assert len(dario_mails) == 2 and "dario@academy.example" in dario_mails[-1].body


def test_emulator_refuses_roles_and_lobby_values_as_documented(graph_emulator, graph_client):
    start = datetime.datetime(2030, 3, 4, 9, tzinfo=datetime.UTC)
    meeting = graph_client.create_or_get_online_meeting("academy-x", "Corso", start,
                                                        start + datetime.timedelta(hours=1))
    path = f"/users/{graph_emulator.organizer_user_id}/onlineMeetings/{meeting['id']}"
    presenter = {"attendees": [{"identity": {"user": {"id": TRAINER_ID}}, "role": "presenter"}]}
    producer = {"attendees": [{"identity": {"user": {"id": TRAINER_ID}}, "role": "producer"}]}
    for body in ({"participants": presenter, "allowedPresenters": "organizer"},  # needs roleIsPresenter
                 {"participants": producer, "allowedPresenters": "roleIsPresenter"},  # live events only
                 {"allowedLobbyAdmitters": "everyone"}):
        with pytest.raises(GraphBadRequest):
            graph_client.request("PATCH", path, body)
    coorganizer = {"attendees": [{"identity": {"user": {"id": TRAINER_ID}}, "role": "coorganizer"}]}
    graph_client.request("PATCH", path, {"participants": coorganizer})
    # Without "Prefer: include-unknown-enum-members" the evolvable member reads as unknownFutureValue.
    (plain,) = graph_client.batch([{"method": "GET", "url": path}])
    assert plain.body["participants"]["attendees"][0]["role"] == "unknownFutureValue"


# -- 2. lobby scope, dial-in, truthful wording -------------------------------------------------------


def test_outsiders_wait_in_the_lobby_dial_in_follows_the_setting_and_the_e_mail_says_do_not_forward(
        make_course, make_person, graph_emulator, sleeps, settings):
    course = make_course(days=(3, 10), kind="masterclass")
    first, second = course.sessions.order_by("starts_at")
    teams.ensure_meetings([first], backend=_backend(graph_emulator, sleeps))
    settings.TEAMS = {**settings.TEAMS, "DIAL_IN_BYPASS_LOBBY": True}
    teams.ensure_meetings([second], backend=_backend(graph_emulator, sleeps))

    lobbies = [graph_emulator.meetings[TeamsMeeting.objects.get(session=s).meeting_id]["lobbyBypassSettings"]
               for s in (first, second)]
    assert lobbies == [{"scope": "organization", "isDialInBypassEnabled": False},
                       {"scope": "organization", "isDialInBypassEnabled": True}]
    settings.TEAMS = {**settings.TEAMS, "BACKEND": "graph"}
    person = make_person(preferred_language="en")
    registrations.register(person, course)
    (confirmation,) = [render(m) for m in OutboxMessage.objects.filter(to=person.email, key__contains=":confirmed:")]
    assert "please do not forward" in confirmation.body and "personal" not in confirmation.body
    assert "wait in the lobby until a trainer admits you" in confirmation.body


# -- 3. a meeting deleted in Teams is noticed before the session --------------------------------------


def test_meeting_deleted_in_teams_is_noticed_by_the_pass_and_re_created_with_one_e_mail(
        make_course, make_person, graph_settings):
    course = make_course()
    teams.scheduled_pass()
    person = make_person()
    registrations.register(person, course)
    session = course.sessions.get()
    old = TeamsMeeting.objects.get(session=session)
    graph_settings.delete_meeting(old.meeting_id)  # someone deleted it in Teams

    later = timezone.now() + teams.meetings.CHECK_EVERY + datetime.timedelta(minutes=1)
    summary = teams.scheduled_pass(later)
    teams.scheduled_pass(later)  # the new meeting is confirmed once; no second e-mail
    teams.scheduled_pass(later)  # and not asked again before CHECK_EVERY

    new = TeamsMeeting.objects.get(session=session)
    assert summary["meetings_recreated"] == 1 and new.meeting_id in graph_settings.meetings
    relinks = [render(m) for m in OutboxMessage.objects.filter(to=person.email, key__contains=":updated:")]
    assert len(relinks) == 1 and new.join_url in relinks[0].body and old.join_url not in relinks[0].body
    assert [r.status for r in graph_settings.graph_requests("GET")] == [404, 200]
    assert len(graph_settings.graph_requests("PATCH")) == 2  # one settling PATCH per meeting created, no more


# -- 4. attendance that converges ----------------------------------------------------------------------


def test_entra_id_only_record_read_before_its_pairing_record_is_matched(make_course, make_person,
                                                                        graph_emulator, sleeps):
    course = make_course(minutes=60)
    anna = make_person()
    Registration.objects.create(course=course, person=anna, status=Registration.Status.CONFIRMED)
    backend = _backend(graph_emulator, sleeps)
    session = course.sessions.get()
    teams.ensure_meetings([session], backend=backend)
    meeting = TeamsMeeting.objects.get(session=session)
    at = session.starts_at
    graph_emulator.add_attendance_report(meeting.meeting_id, [  # the id alone, listed first
        {"user_id": "entra-anna", "name": "Anna (ospite)",
         "intervals": [{"join": at, "leave": at + datetime.timedelta(minutes=10)}]},
        {"email": anna.email, "user_id": "entra-anna", "name": "Anna",
         "intervals": [{"join": at + datetime.timedelta(minutes=10), "leave": at + datetime.timedelta(minutes=50)}]}])

    result = teams.import_attendance(session, backend=backend)

    assert (result.matched, result.unmatched) == (1, 0)
    assert minutes_for(anna, session) == 50


def test_empty_or_deleted_report_stops_polling_with_a_state_staff_see_and_can_re_import(
        make_course, make_person, graph_emulator, sleeps):
    course = make_course(days=(3, 10), kind="masterclass")
    backend = _backend(graph_emulator, sleeps)
    teams.ensure_meetings(list(course.sessions.all()), backend=backend)
    empty, deleted = (_ended(s) for s in course.sessions.order_by("starts_at"))
    empty_meeting = TeamsMeeting.objects.get(session=empty)
    graph_emulator.add_attendance_report(empty_meeting.meeting_id, [])
    graph_emulator.delete_meeting(TeamsMeeting.objects.get(session=deleted).meeting_id)

    teams.import_due_attendance(backend=backend)
    before = len(graph_emulator.requests)
    outcome = teams.import_due_attendance(backend=backend)  # the next passes ask nothing

    assert outcome == {} and len(graph_emulator.requests) == before
    states = dict(TeamsMeeting.objects.values_list("session_id", "attendance_status"))
    assert states == {empty.pk: AttendanceStatus.UNAVAILABLE, deleted.pk: AttendanceStatus.UNAVAILABLE}
    # Staff re-import once the report shows up.
    anna = make_person()
    Registration.objects.create(course=course, person=anna, status=Registration.Status.CONFIRMED)
    graph_emulator.add_attendance_report(empty_meeting.meeting_id, [{"email": anna.email, "seconds": 1800}])
    assert teams.import_attendance(empty, backend=backend).matched == 1
    empty_meeting.refresh_from_db()
    assert empty_meeting.attendance_status == AttendanceStatus.IMPORTED


def test_record_without_intervals_is_capped_at_the_session_length(make_course, make_person, graph_emulator,
                                                                  sleeps):
    course = make_course(minutes=90)
    anna = make_person()
    Registration.objects.create(course=course, person=anna, status=Registration.Status.CONFIRMED)
    backend = _backend(graph_emulator, sleeps)
    session = course.sessions.get()
    teams.ensure_meetings([session], backend=backend)
    meeting = TeamsMeeting.objects.get(session=session)
    graph_emulator.add_attendance_report(meeting.meeting_id, [
        {"emailAddress": anna.email, "totalAttendanceInSeconds": 150 * 60, "role": "Attendee",
         "identity": {"id": "", "displayName": "Anna"}, "attendanceIntervals": []}])

    teams.import_attendance(session, backend=backend)

    assert minutes_for(anna, session) == 90


# -- 5, 6, 9, 10. identity outages, token throttling, counts -------------------------------------------


def test_identity_outage_ends_the_pass_after_one_failed_acquisition_and_spends_no_attempt(
        make_course, graph_emulator, sleeps):
    course = make_course(days=(3, 10), kind="masterclass")
    backend = _backend(graph_emulator, sleeps)
    teams.ensure_meetings(list(course.sessions.all()), backend=backend)
    for session in course.sessions.all():
        _ended(session)  # two attendance imports due
    make_course(days=(2, 4, 6), kind="masterclass")  # three meetings to create
    graph_emulator.faults.token_failure(1000, 503)
    from webinars.graph import clear_app_cache

    clear_app_cache()  # no cached token: the pass must ask the identity platform
    before = len(graph_emulator.requests)

    teams.scheduled_pass(backend=_backend(graph_emulator, sleeps))

    tokens = [r for r in graph_emulator.requests[before:] if r.kind == "token"]
    assert len(tokens) == 1 and sum(sleeps) < 1  # one failed request, then nothing until the next pass
    creations = GraphOperation.objects.filter(kind="create", status="failed")
    assert creations.count() == 3 and set(creations.values_list("attempts", flat=True)) == {0}
    assert not GraphOperation.objects.filter(kind="attendance").exists()


@pytest.mark.parametrize("not_json", [False, True])
def test_token_429_is_retried_after_its_retry_after(graph_emulator, not_json):
    import time

    waited: list[float] = []

    def sleep(seconds: float) -> None:  # msal replays the 429 until Retry-After has really passed
        waited.append(seconds)
        time.sleep(seconds)

    client = GraphClient(graph_emulator.config(max_retries=3), sleep=sleep)
    graph_emulator.faults.token_failure(1, 429, not_json=not_json, retry_after=1)

    assert client.acquire_token()
    assert waited == [1]


def test_token_503_without_retry_after_is_an_outage_not_a_refusal(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(max_retries=3), sleep=sleeps)
    graph_emulator.faults.token_failure(1, 503)

    with pytest.raises(GraphUnavailableError) as first:
        client.acquire_token()
    before = len(graph_emulator.requests)
    with pytest.raises(GraphUnavailableError):
        client.acquire_token()  # paused: no request

    assert first.value.code == "identity_platform_unavailable" and len(graph_emulator.requests) == before


def test_pass_summary_counts_only_successful_imports(make_course, graph_emulator, sleeps):
    course = make_course(days=(3, 10), kind="masterclass")
    backend = _backend(graph_emulator, sleeps)
    teams.ensure_meetings(list(course.sessions.all()), backend=backend)
    ok, gone = (_ended(s) for s in course.sessions.order_by("starts_at"))
    graph_emulator.add_attendance_report(TeamsMeeting.objects.get(session=ok).meeting_id,
                                         [{"email": "x@else.where", "seconds": 60}])
    graph_emulator.delete_meeting(TeamsMeeting.objects.get(session=gone).meeting_id)

    summary = teams.scheduled_pass(backend=backend)

    assert summary["attendance_imported"] == 1


# -- 8. orphans of an unknown creation outcome ----------------------------------------------------------


def test_session_cancelled_while_its_creation_outcome_is_unknown_leaves_no_meeting(make_course, graph_emulator,
                                                                                  sleeps):
    course = make_course()
    session = course.sessions.get()
    graph_emulator.faults.slow_batch(1, seconds=1.5)
    teams.ensure_meetings([session], backend=_backend(graph_emulator, sleeps, timeout=0.5))
    assert len(graph_emulator.meetings) == 1 and not TeamsMeeting.objects.exists()  # created, unknown to us
    session.cancelled = True
    session.save()

    teams.scheduled_pass(backend=_backend(graph_emulator, sleeps))
    teams.scheduled_pass(backend=_backend(graph_emulator, sleeps))

    assert graph_emulator.meetings == {}
    assert TeamsMeeting.objects.get(session=session).status == TeamsMeeting.Status.DELETED
    assert len(mail.outbox) == 0
