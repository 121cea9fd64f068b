"""Teams meetings for sessions, personal join links and attendance import -- with the dry-run
backend and against the HTTPS Graph emulator (real msal, real HTTP, no mocks of our code)."""

from __future__ import annotations

import base64
import datetime

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from academy.attendance.models import AttendanceRecord
from academy.core.models import OutboxMessage
from academy.core.outbox import render
from academy.registrations import services as registrations
from academy.registrations.models import Registration
from webinars import backends, teams
from webinars.backends import DRY_RUN_JOIN_PREFIX, GraphBackend
from webinars.graph import GraphClient
from webinars.models import EmailAlias, GraphOperation, TeamsMeeting, UnmatchedAttendance

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Stands for the process being killed: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def graph_settings(settings, graph_emulator):
    settings.TEAMS = {**settings.TEAMS, **{k.removeprefix("TEAMS_"): v for k, v in graph_emulator.env().items()}}
    return graph_emulator


@pytest.fixture
def published(make_course, django_capture_on_commit_callbacks):
    """Publish a course and run what publishing enqueues (meeting creation) as after a commit."""

    def factory(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            course = make_course(**kwargs)
        _drain()
        return course

    return factory


def _drain():
    """Graph work the editor's request left to the scheduler (immediate task backend): one pass."""
    if backends.backend_name() != "dry-run":
        teams.scheduled_pass()


def _session(course):
    return course.sessions.get()


def _messages_for(person):
    """Their e-mails, written as the delivering worker writes them."""
    return [render(m) for m in OutboxMessage.objects.filter(to=person.email).order_by("pk")]


def _ics_event(message: OutboxMessage) -> icalendar.Event:
    (attachment,) = [a for a in message.attachments if a["filename"].endswith(".ics")]
    calendar = icalendar.Calendar.from_ical(base64.b64decode(attachment["content"]))
    return next(iter(calendar.walk("VEVENT")))


# -- meetings ---------------------------------------------------------------------------------------


def test_publishing_creates_a_dry_run_meeting_with_a_clearly_fake_link(published):
    course = published()
    meeting = TeamsMeeting.objects.get(session=_session(course))

    assert meeting.backend == "dry-run" and meeting.status == "active"
    assert meeting.join_url.startswith(DRY_RUN_JOIN_PREFIX)
    op = GraphOperation.objects.get(kind="create", session=meeting.session)
    assert op.status == "succeeded" and op.idempotency_key == f"create:academy-session-{meeting.session_id}"
    assert op.request["externalId"] == f"academy-session-{meeting.session_id}"
    assert op.request["lobbyBypassSettings"]["scope"] == "organization"


def test_in_person_sessions_get_no_meeting(published):
    course = published(mode="in_person")
    assert not TeamsMeeting.objects.filter(session__course=course).exists()


def test_publishing_creates_the_meeting_in_teams_through_a_batch(published, graph_settings):
    course = published(days=(7, 8), kind="masterclass")
    meetings = list(TeamsMeeting.objects.filter(session__course=course))

    assert len(meetings) == 2 and {m.backend for m in meetings} == {"graph"}
    assert {m.meeting_id for m in meetings} == set(graph_settings.meetings)
    created = graph_settings.meetings[meetings[0].meeting_id]
    assert created["joinWebUrl"] == meetings[0].join_url
    assert created["externalId"] == meetings[0].external_id
    assert created["lobbyBypassSettings"]["scope"] == "organization"
    # createOrGet in one batch, then the lobby and presenters it cannot take in another.
    assert [r.kind for r in graph_settings.requests if r.kind in {"graph", "batch"}] == ["batch", "batch"]

    # Publishing again changes nothing in Teams.
    before = len(graph_settings.requests)
    teams.ensure_meetings(list(course.sessions.all()))
    assert len(graph_settings.meetings) == 2 and len(graph_settings.requests) == before


def test_moving_the_session_patches_start_and_end_and_resends_the_link(
        published, graph_settings, make_person, django_capture_on_commit_callbacks):
    course = published()
    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(person, course, by=None)
    session = _session(course)
    meeting = TeamsMeeting.objects.get(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        session.starts_at += datetime.timedelta(days=1, hours=1)
        session.ends_at += datetime.timedelta(days=1, hours=1)
        session.save()
    _drain()

    patch = graph_settings.graph_requests("PATCH")[-1]
    assert set(patch.body) == {"startDateTime", "endDateTime"}
    remote = graph_settings.meetings[meeting.meeting_id]
    assert datetime.datetime.fromisoformat(remote["startDateTime"]) == session.starts_at
    assert datetime.datetime.fromisoformat(remote["endDateTime"]) == session.ends_at
    meeting.refresh_from_db()
    assert meeting.synced_sequence == session.sequence == 1
    update = _messages_for(person)[-1]
    assert update.key.startswith("registration:") and ":updated:" in update.key
    assert meeting.join_url in update.body
    event = _ics_event(update)
    assert str(event["location"]) == meeting.join_url and int(event["sequence"]) == 1


def test_cancelling_the_session_deletes_the_meeting(published, graph_settings,
                                                    django_capture_on_commit_callbacks):
    course = published()
    session = _session(course)
    meeting = TeamsMeeting.objects.get(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        session.cancelled = True
        session.save()
    _drain()

    assert meeting.meeting_id not in graph_settings.meetings
    meeting.refresh_from_db()
    assert meeting.status == "deleted"
    assert GraphOperation.objects.get(kind="delete", session=session).status == "succeeded"
    # Cancelling again (a retried task) is a no-op.
    assert teams.cancel_meeting(session) is False


def test_crash_after_graph_created_the_meeting_resumes_without_a_second_one(make_course, graph_emulator,
                                                                               sleeps):
    course = make_course()  # on_commit not run: no meeting yet
    session = _session(course)

    def die_after_batch(method, url, status, elapsed):
        if url.endswith("/$batch") and status == 200:
            raise WorkerDied

    crashing = GraphBackend(GraphClient(graph_emulator.config(), on_request=die_after_batch, sleep=sleeps))
    with pytest.raises(WorkerDied):
        teams.ensure_meetings([session], backend=crashing)

    assert len(graph_emulator.meetings) == 1  # Teams has it ...
    assert not TeamsMeeting.objects.exists()  # ... we never learnt its id
    assert GraphOperation.objects.get(kind="create").status == "pending"

    result = teams.ensure_meetings([session], backend=GraphBackend(GraphClient(graph_emulator.config(),
                                                                               sleep=sleeps)))

    assert len(result.reconciled) == 1 and not result.created
    assert len(graph_emulator.meetings) == 1
    (remote,) = graph_emulator.meetings.values()
    meeting = TeamsMeeting.objects.get(session=session)
    assert meeting.meeting_id == remote["id"] and meeting.join_url == remote["joinWebUrl"]
    assert remote["lobbyBypassSettings"]["scope"] == "organization"  # applied after createOrGet
    op = GraphOperation.objects.get(kind="create")
    assert op.status == "succeeded" and op.attempts == 2


def test_missing_join_url_is_a_clear_error_and_nothing_is_recorded(make_course, graph_emulator, sleeps):
    course = make_course()
    session = _session(course)
    backend = GraphBackend(GraphClient(graph_emulator.config(), sleep=sleeps))
    graph_emulator.faults.malformed(1, mode="missing-join-url", match="POST /users")

    result = teams.ensure_meetings([session], backend=backend)

    assert "joinWebUrl" in result.failed[session.pk]
    assert not TeamsMeeting.objects.exists()
    op = GraphOperation.objects.get(kind="create")
    assert op.status == "failed" and "joinWebUrl" in op.last_error

    # The meeting Graph made is found again, not duplicated.
    teams.ensure_meetings([session], backend=backend)
    assert len(graph_emulator.meetings) == 1
    assert TeamsMeeting.objects.get(session=session).meeting_id in graph_emulator.meetings


def test_throttled_batch_is_retried_and_each_meeting_created_once(make_course, graph_emulator, sleeps):
    course = make_course(kind="masterclass", days=range(1, 26))
    graph_emulator.faults.throttle(3, retry_after=2, match="POST /users")
    graph_emulator.faults.unavailable(1, target="batch")

    result = teams.ensure_meetings(list(course.sessions.all()),
                                   backend=GraphBackend(GraphClient(graph_emulator.config(), sleep=sleeps)))

    assert len(result.created) == 25 and not result.failed
    assert len(graph_emulator.meetings) == 25
    assert 2 in sleeps


# -- join links are personal ----------------------------------------------------------------------


def test_join_link_only_in_confirmed_registrants_invitations(published, make_person, client,
                                                             django_capture_on_commit_callbacks):
    course = published(capacity=1)
    join_url = TeamsMeeting.objects.get(session=_session(course)).join_url
    first, second = make_person(), make_person()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(first, course)
        waiting = registrations.register(second, course)
    assert waiting.status == Registration.Status.WAITING

    # Anonymous: course page, its .ics and the programme feed never show the link.
    for url in (course.url, f"/it/calendar/course/{course.pk}.ics", "/it/calendar/programme.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert join_url not in response.content.decode(), url
        assert "meetup-join" not in response.content.decode(), url

    confirmation = _messages_for(first)[-1]
    assert join_url in confirmation.body
    event = _ics_event(confirmation)
    assert str(event["location"]) == join_url and join_url in str(event["description"])
    assert all(join_url not in m.body for m in _messages_for(second))

    # The first cancels: no link for them; the promoted one gets it.
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel(Registration.objects.get(person=first), by=None)
    cancellation = _messages_for(first)[-1]
    assert ":cancelled:" in cancellation.key and join_url not in cancellation.body
    assert "meetup-join" not in str(_ics_event(cancellation).get("location", ""))
    promoted = _messages_for(second)[-1]
    assert ":promoted:" in promoted.key and join_url in promoted.body
    assert str(_ics_event(promoted)["location"]) == join_url


def test_registrants_invited_before_the_meeting_existed_get_the_link_once(make_course, make_person):
    course = make_course()  # published, but the meeting task has not run
    person = make_person()
    registrations.register(person, course)
    assert "meetup-join" not in _messages_for(person)[-1].body

    teams.ensure_meetings([_session(course)])
    teams.ensure_meetings([_session(course)])

    join_url = TeamsMeeting.objects.get().join_url
    with_link = [m for m in _messages_for(person) if join_url in m.body]
    assert len(with_link) == 1 and ":updated:" in with_link[0].key


# -- attendance ----------------------------------------------------------------------------------


@pytest.fixture
def webinar_with_meeting(make_course, graph_emulator, sleeps, make_person):
    course = make_course()
    session = _session(course)
    backend = GraphBackend(GraphClient(graph_emulator.config(), sleep=sleeps))
    teams.ensure_meetings([session], backend=backend)
    meeting = TeamsMeeting.objects.get(session=session)
    anna, bruno = make_person(email="anna.rossi@gamma.coop"), make_person(email="bruno@gamma.coop")
    for person in (anna, bruno):
        Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
    return session, meeting, backend, anna, bruno


def test_attendance_paging_summing_matching_and_reimport(webinar_with_meeting, graph_emulator):
    session, meeting, backend, anna, bruno = webinar_with_meeting
    graph_emulator.add_attendance_report(meeting.meeting_id, [
        {"email": "Anna.Rossi@Gamma.COOP", "seconds": 1800},
        {"email": "bruno@gamma.coop", "seconds": 5400},
        {"email": "organizer@tenant.example", "seconds": 5400, "role": "Organizer"},
        {"email": "stranger@else.where", "seconds": 600, "name": "Guest Star"},
    ] + [{"email": f"x{i}@else.where", "seconds": 60} for i in range(3)])
    # The meeting ran a second time 40 minutes in (a report's records start at its own start).
    graph_emulator.add_attendance_report(meeting.meeting_id, [{"email": "anna.rossi@gamma.coop", "seconds": 1260}],
                                         start=session.starts_at + datetime.timedelta(minutes=40))

    result = teams.import_attendance(session, backend=backend)

    assert (result.matched, result.unmatched, result.replaced) == (2, 4, 0)
    assert result.reports == 2 and result.records == 8
    pages = [r for r in graph_emulator.requests if "attendanceRecords" in r.path]
    assert len(pages) == 4  # page size 3: 3 pages for the first report, 1 for the second
    minutes = dict(AttendanceRecord.objects.filter(session=session, source="teams")
                   .values_list("person__email", "minutes"))
    assert minutes == {"anna.rossi@gamma.coop": 51, "bruno@gamma.coop": 90}
    assert set(UnmatchedAttendance.objects.values_list("email", flat=True)) == {
        "stranger@else.where", "x0@else.where", "x1@else.where", "x2@else.where"}

    again = teams.import_attendance(session, backend=backend)

    assert (again.matched, again.unmatched, again.replaced) == (2, 4, 2)
    assert AttendanceRecord.objects.filter(session=session).count() == 2
    assert UnmatchedAttendance.objects.count() == 4


def test_empty_report_of_a_running_meeting_replaces_nothing(webinar_with_meeting, graph_emulator):
    session, meeting, backend, anna, _bruno = webinar_with_meeting
    graph_emulator.add_attendance_report(meeting.meeting_id, [{"email": anna.email, "seconds": 3000}])
    teams.import_attendance(session, backend=backend)
    graph_emulator.reports[meeting.meeting_id].clear()
    graph_emulator.add_attendance_report(meeting.meeting_id, [])

    result = teams.import_attendance(session, backend=backend)

    assert (result.matched, result.unmatched, result.replaced) == (0, 0, 0)
    assert AttendanceRecord.objects.get(session=session, person=anna).minutes == 50


def test_resolving_unmatched_creates_alias_used_by_the_next_import(webinar_with_meeting, graph_emulator,
                                                                   admin_user, django_user_model):
    session, meeting, backend, anna, _bruno = webinar_with_meeting
    graph_emulator.add_attendance_report(meeting.meeting_id, [
        {"email": "anna.rossi@gamma.coop", "seconds": 1200},
        # She moved home after 20 minutes and went on from her own address for 40 more.
        {"email": "A.Rossi@Personal.example", "name": "Anna (home)", "intervals": [
            {"join": session.starts_at + datetime.timedelta(minutes=20),
             "leave": session.starts_at + datetime.timedelta(minutes=60)}]},
    ])
    teams.import_attendance(session, backend=backend)
    unmatched = UnmatchedAttendance.objects.get()
    nobody = django_user_model.objects.create_user("nobody", password="x")
    with pytest.raises(teams.TeamsError):
        teams.resolve_unmatched(unmatched, anna, nobody)

    teams.resolve_unmatched(unmatched, anna, admin_user)

    assert EmailAlias.objects.get().email == "a.rossi@personal.example"
    assert AttendanceRecord.objects.get(session=session, person=anna, source="teams").minutes == 60
    result = teams.import_attendance(session, backend=backend)
    assert (result.matched, result.unmatched) == (2, 0)
    assert AttendanceRecord.objects.get(session=session, person=anna, source="teams").minutes == 60
    assert AttendanceRecord.objects.filter(session=session).count() == 1


def test_due_import_command_and_staff_button(webinar_with_meeting, graph_settings, admin_client, client,
                                             make_person):
    session, meeting, _backend, anna, _bruno = webinar_with_meeting
    end = timezone.now() - datetime.timedelta(minutes=20)
    type(session).objects.filter(pk=session.pk).update(starts_at=end - datetime.timedelta(hours=1), ends_at=end)
    # The report's intervals fall inside the session as it is now (minutes are clipped to it).
    graph_settings.add_attendance_report(meeting.meeting_id, [{"email": anna.email, "seconds": 2700}],
                                         start=end - datetime.timedelta(hours=1), end=end)
    assert not teams.sessions_due_for_import().exists()  # ended only 20 minutes ago

    call_command("import_teams_attendance", "--due", stdout=open("/dev/null", "w"))
    assert not AttendanceRecord.objects.exists()

    assert list(teams.sessions_due_for_import(timezone.now() + datetime.timedelta(minutes=15))) == [session]
    url = reverse("webinars_teams_import", args=[session.pk])
    assert client.post(url).status_code == 302 and not AttendanceRecord.objects.exists()  # to login
    staff_page = admin_client.get(reverse("webinars_teams_meetings:index"))
    assert staff_page.status_code == 200 and url in staff_page.content.decode()
    assert admin_client.get(url).status_code == 405

    admin_client.post(url)

    assert AttendanceRecord.objects.get(session=session, person=anna).minutes == 45
    meeting.refresh_from_db()
    assert meeting.attendance_imported_at is not None


def test_scheduled_pass_catches_up_on_missing_meetings_syncs_and_deletions(make_course, graph_emulator, sleeps):
    course = make_course(kind="masterclass", days=(3, 4))  # signals' tasks never ran (no commit)
    backend = GraphBackend(GraphClient(graph_emulator.config(), sleep=sleeps))
    first, second = course.sessions.order_by("starts_at")

    assert teams.scheduled_pass(backend=backend)["meetings_created"] == 2
    first.starts_at += datetime.timedelta(hours=2)
    first.ends_at += datetime.timedelta(hours=2)
    first.save()  # moved; its on-commit sync never ran
    second.cancelled = True
    second.save()

    outcome = teams.scheduled_pass(backend=backend)

    assert (outcome["meetings_created"], outcome["meetings_synced"], outcome["meetings_deleted"]) == (0, 1, 1)
    remote = graph_emulator.meetings[TeamsMeeting.objects.get(session=first).meeting_id]
    assert datetime.datetime.fromisoformat(remote["startDateTime"]) == first.starts_at
    assert len(graph_emulator.meetings) == 1
    assert teams.scheduled_pass(backend=backend) == {"meetings_created": 0, "meetings_synced": 0,
                                                      "meetings_recreated": 0, "meetings_deleted": 0,
                                                      "attendance_imported": 0}


def test_switching_from_dry_run_to_graph_gives_sessions_real_meetings_and_registrants_the_real_link(
        published, graph_emulator, make_person, django_capture_on_commit_callbacks, settings):
    course = published()
    session = _session(course)
    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(person, course, consent_version="test")
    fake = TeamsMeeting.objects.get(session=session)
    assert fake.backend == "dry-run"

    settings.TEAMS = {**settings.TEAMS, **{k.removeprefix("TEAMS_"): v for k, v in graph_emulator.env().items()}}
    backend = GraphBackend(GraphClient(graph_emulator.config(), sleep=lambda s: None))
    with django_capture_on_commit_callbacks(execute=True):
        result = teams.ensure_meetings(backend=backend)
    real = TeamsMeeting.objects.get(session=session)
    assert [m.session_id for m in result.meetings] == [session.pk]
    assert real.backend == "graph" and real.meeting_id in graph_emulator.meetings
    assert not real.join_url.startswith(DRY_RUN_JOIN_PREFIX)
    assert real.join_url in _messages_for(person)[-1].body
    # Nothing left to do: a second pass creates nothing more in Teams.
    assert teams.ensure_meetings(backend=backend).meetings == []
    assert len(graph_emulator.meetings) == 1
