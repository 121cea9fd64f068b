"""Teams under faults (issue 13): identity-platform failures, timed-out and failing batches,
createOrGet, stale and deleted meetings, lost and foreign links, e-mail storms, attendance identity.
Every test runs over real HTTPS against the project's Graph emulator."""

from __future__ import annotations

import base64
import datetime

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command

from academy.core.models import OutboxMessage
from academy.core.outbox import queue_email, render
from academy.registrations import services as registrations
from webinars import teams
from webinars.backends import DRY_RUN_JOIN_PREFIX, GraphBackend
from webinars.graph import GraphClient, GraphUnavailableError
from webinars.models import GraphOperation, TeamsMeeting, UnmatchedAttendance

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Stands for the process being killed: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def graph_settings(settings, graph_emulator):
    settings.TEAMS = {**settings.TEAMS, **{k.removeprefix("TEAMS_"): v for k, v in graph_emulator.env().items()},
                      "MAX_RETRIES": "1", "MAX_BACKOFF": "0.01"}
    return graph_emulator


def _ics_event(message) -> icalendar.Event:
    (attachment,) = [a for a in message.attachments if a["filename"].endswith(".ics")]
    return next(iter(icalendar.Calendar.from_ical(base64.b64decode(attachment["content"])).walk("VEVENT")))


def _backend(emulator, sleeps, **config):
    return GraphBackend(GraphClient(emulator.config(**config), sleep=sleeps))


# -- 1. identity-platform failures -----------------------------------------------------------------


@pytest.mark.parametrize("not_json,status", [(False, 503), (True, 429)])
def test_token_endpoint_failure_is_a_graph_error(graph_emulator, sleeps, not_json, status):
    client = GraphClient(graph_emulator.config(max_retries=2), sleep=sleeps)
    graph_emulator.faults.token_failure(10, status, not_json=not_json)

    with pytest.raises(GraphUnavailableError):
        client.acquire_token()


def test_scheduler_delivers_the_outbox_while_the_identity_platform_is_down(make_course, graph_settings):
    make_course()  # a session still waiting for its meeting: the Teams step will call Graph
    for n in range(10):
        queue_email(f"test:{n}", f"p{n}@example.org", "Oggetto", "Testo")
    graph_settings.faults.token_failure(1000, 503)

    call_command("academy_scheduler")  # the Teams step logs and reports, it does not raise

    assert len(mail.outbox) == 10
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
    assert GraphOperation.objects.filter(kind="create", status="failed").exists()


# -- 2-4. timed-out and failing batches, createOrGet, stale meetings ---------------------------------


def _inner(emulator):
    return [r for r in emulator.requests if r.kind == "batch-inner"]


def test_timed_out_batch_is_not_resent_and_recovery_finds_the_meetings(make_course, graph_emulator, sleeps):
    course = make_course(kind="masterclass", days=range(1, 21))
    sessions = list(course.sessions.all())
    graph_emulator.faults.slow_batch(1, seconds=1.5)

    first = teams.ensure_meetings(sessions, backend=_backend(graph_emulator, sleeps, timeout=0.5))

    assert len(first.failed) == 20 and not first.created
    assert len(graph_emulator.meetings) == 20  # Graph made them once; nothing was re-sent
    GraphOperation.objects.filter(kind="create").update(next_attempt_at=None)  # backoff elapsed

    second = teams.ensure_meetings(sessions, backend=_backend(graph_emulator, sleeps))

    assert len(second.meetings) == 20 and not second.failed
    assert len(graph_emulator.meetings) == 20
    assert {m.meeting_id for m in TeamsMeeting.objects.all()} == set(graph_emulator.meetings)


def test_one_failing_batch_keeps_the_answers_of_the_others(make_course, graph_emulator, sleeps):
    course = make_course(kind="masterclass", days=range(1, 26))
    calls = []

    def second_and_third(signature):  # the second $batch (and its one retry) fail
        calls.append(signature)
        return len(calls) in (2, 3)

    graph_emulator.faults.unavailable(2, target="batch", match=second_and_third)
    result = teams.ensure_meetings(list(course.sessions.all()), backend=_backend(graph_emulator, sleeps,
                                                                               max_retries=1))

    assert len(result.created) == 20 and len(result.failed) == 5
    assert TeamsMeeting.objects.count() == 20


def test_meetings_are_created_through_create_or_get_with_a_stable_external_id(make_course, graph_emulator,
                                                                              sleeps):
    course = make_course(kind="masterclass", days=range(1, 26))
    sessions = list(course.sessions.all())

    def die_after_first_batch(method, url, status, elapsed):
        if url.endswith("/$batch") and status == 200:
            raise WorkerDied

    crashing = GraphBackend(GraphClient(graph_emulator.config(), on_request=die_after_first_batch, sleep=sleeps))
    with pytest.raises(WorkerDied):
        teams.ensure_meetings(sessions, backend=crashing)
    assert len(graph_emulator.meetings) == 20 and not TeamsMeeting.objects.exists()

    result = teams.ensure_meetings(sessions, backend=_backend(graph_emulator, sleeps))

    assert len(result.meetings) == 25 and len(graph_emulator.meetings) == 25  # no duplicates
    posts = [r for r in _inner(graph_emulator) if r.method == "POST"]
    assert posts and all(r.path.endswith("/onlineMeetings/createOrGet") for r in posts)
    assert {r.body["externalId"] for r in posts} == {m.external_id for m in TeamsMeeting.objects.all()}
    for remote in graph_emulator.meetings.values():  # what createOrGet cannot take, PATCHed after
        assert remote["lobbyBypassSettings"]["scope"] == "organization"
        assert remote["allowedPresenters"] == "roleIsPresenter"


def test_meeting_found_by_create_or_get_for_an_older_schedule_is_patched(make_course, graph_emulator, sleeps):
    course = make_course()
    session = course.sessions.get()
    graph_emulator.faults.slow_batch(1, seconds=1.5)
    teams.ensure_meetings([session], backend=_backend(graph_emulator, sleeps, timeout=0.5))
    (remote,) = graph_emulator.meetings.values()
    old_start = remote["startDateTime"]
    # The session moves two hours before recovery.
    type(session).objects.filter(pk=session.pk).update(
        starts_at=session.starts_at + datetime.timedelta(hours=2),
        ends_at=session.ends_at + datetime.timedelta(hours=2), sequence=session.sequence + 1)
    GraphOperation.objects.filter(kind="create").update(next_attempt_at=None)

    teams.ensure_meetings([session], backend=_backend(graph_emulator, sleeps))

    session.refresh_from_db()
    (remote,) = graph_emulator.meetings.values()
    assert remote["startDateTime"] != old_start
    assert remote["startDateTime"].startswith(session.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M"))
    assert TeamsMeeting.objects.get(session=session).synced_sequence == session.sequence


# -- 5-7, 9. links and e-mails ---------------------------------------------------------------------


def _updates_for(person):
    return [render(m) for m in OutboxMessage.objects.filter(to=person.email, key__contains=":updated:")
            .order_by("pk")]


def test_session_moved_after_its_meeting_was_deleted_in_teams_sends_one_e_mail_with_the_new_link(
        make_course, graph_settings, make_person, django_capture_on_commit_callbacks):
    """Issue 26 item 3: the move is announced once, after the meeting it links to exists again."""
    course = make_course()
    teams.scheduled_pass()
    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(person, course, by=None)
    session = course.sessions.get()
    old = TeamsMeeting.objects.get(session=session)
    graph_settings.meetings.clear()  # deleted directly in Teams

    with django_capture_on_commit_callbacks(execute=True):
        session.starts_at += datetime.timedelta(hours=2)
        session.ends_at += datetime.timedelta(hours=2)
        session.save()
    teams.scheduled_pass()  # the scheduler does the Graph work the editor's save left (immediate backend)

    new = TeamsMeeting.objects.get(session=session)
    assert new.meeting_id in graph_settings.meetings and new.join_url != old.join_url
    (update,) = _updates_for(person)
    assert new.join_url in update.body and old.join_url not in update.body
    session.refresh_from_db()
    event = _ics_event(update)
    assert int(event["sequence"]) >= session.sequence
    assert event["dtstart"].dt == session.starts_at


def test_link_e_mails_are_queued_with_the_meetings_they_carry(make_course, graph_emulator, sleeps,
                                                              make_person):
    course = make_course(kind="masterclass", days=range(1, 13))
    people = [make_person() for _ in range(3)]
    for person in people:
        registrations.register(person, course, by=None)

    def die_after_commit_of_meetings(method, url, status, elapsed):
        if TeamsMeeting.objects.exists():
            raise WorkerDied

    crashing = GraphBackend(GraphClient(graph_emulator.config(), on_request=die_after_commit_of_meetings,
                                        sleep=sleeps))
    try:  # the process dies right after the meetings are recorded (any later Graph call)
        teams.ensure_meetings(list(course.sessions.all()), backend=crashing)
    except WorkerDied:
        pass
    assert TeamsMeeting.objects.count() == 12
    for person in people:  # 9. one message per person for the twelve sessions made together
        (update,) = OutboxMessage.objects.filter(to=person.email, key__contains="teams-")
        assert len(update.context["sessions"]) == 12


def test_dry_run_link_is_never_sent_in_graph_mode(make_course, make_person, settings, graph_emulator):
    course = make_course()
    teams.ensure_meetings(list(course.sessions.all()), notify=False)  # dry-run meeting
    settings.TEAMS = {**settings.TEAMS, **{k.removeprefix("TEAMS_"): v for k, v in graph_emulator.env().items()}}
    person = make_person()
    registration = registrations.register(person, course, by=None)
    assert teams.join_url_for(course.sessions.get(), registration) == ""
    assert DRY_RUN_JOIN_PREFIX not in render(OutboxMessage.objects.filter(to=person.email).last()).body


# -- 11. attendance identity -----------------------------------------------------------------------


def test_anonymous_attendees_without_e_mail_stay_apart(make_course, graph_emulator, sleeps):
    course = make_course()
    session = course.sessions.get()
    backend = _backend(graph_emulator, sleeps)
    teams.ensure_meetings([session], backend=backend, notify=False)
    meeting = TeamsMeeting.objects.get(session=session)
    graph_emulator.add_attendance_report(meeting.meeting_id, [
        {"name": "Ospite", "seconds": 900}, {"name": "Ospite", "seconds": 300}])

    result = teams.import_attendance(session, backend=backend)

    assert result.unmatched == 2
    assert sorted(UnmatchedAttendance.objects.values_list("minutes", flat=True)) == [5, 15]


def test_a_registrant_seen_with_an_entra_id_alone_is_matched_by_it(make_course, make_person, graph_emulator,
                                                                    sleeps, admin_user):
    """A record with the e-mail and the Entra user id teaches the id; a later record with the id alone
    (Teams gives guests' records no address) still finds the person; an unknown id that staff resolve
    is learnt the same way."""
    from webinars.models import TeamsIdentity

    course = make_course(days=(3, 10))
    first, second = course.sessions.order_by("starts_at")
    anna, bruno = make_person(), make_person()
    for person in (anna, bruno):
        registrations.register(person, course)
    backend = _backend(graph_emulator, sleeps)
    teams.ensure_meetings([first, second], backend=backend, notify=False)
    one = TeamsMeeting.objects.get(session=first)
    graph_emulator.add_attendance_report(one.meeting_id, [
        {"email": anna.email, "user_id": "entra-anna", "seconds": 3600, "name": "Anna"},
        {"user_id": "entra-bruno", "seconds": 1800, "name": "Bruno (ospite)"}])
    result = teams.import_attendance(first, backend=backend)
    assert (result.matched, result.unmatched) == (1, 1)
    assert TeamsIdentity.objects.get(user_id="entra-anna").person == anna
    unknown = UnmatchedAttendance.objects.get(session=first)
    assert unknown.user_id == "entra-bruno" and unknown.email == ""
    teams.resolve_unmatched(unknown, bruno, admin_user)
    assert TeamsIdentity.objects.get(user_id="entra-bruno").person == bruno

    two = TeamsMeeting.objects.get(session=second)
    graph_emulator.add_attendance_report(two.meeting_id, [
        {"user_id": "entra-anna", "seconds": 2400, "name": "A."},
        {"user_id": "entra-bruno", "seconds": 1200, "name": "B."}])
    result = teams.import_attendance(second, backend=backend)
    assert (result.matched, result.unmatched) == (2, 0)
    from academy.attendance.services import minutes_for

    assert (minutes_for(anna, second), minutes_for(bruno, second)) == (40, 20)


# -- 10. Graph work never in the editor's request ---------------------------------------------------


def test_editor_save_does_not_wait_for_graph_with_the_immediate_backend(
        make_course, graph_settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = make_course()  # publishing: the editor's request, callbacks after commit included
        session = course.sessions.get()
    assert not [r for r in graph_settings.requests if r.kind in {"graph", "batch"}]
    with django_capture_on_commit_callbacks(execute=True):
        session.starts_at += datetime.timedelta(hours=1)
        session.ends_at += datetime.timedelta(hours=1)
        session.save()
    assert not [r for r in graph_settings.requests if r.kind in {"graph", "batch"}]

    teams.scheduled_pass()  # the scheduler's next pass does it

    meeting = TeamsMeeting.objects.get(session=session)
    remote = graph_settings.meetings[meeting.meeting_id]
    assert remote["startDateTime"].startswith(session.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M"))


# -- 8. backoff per operation, capped attempts with an alert, batched recovery ----------------------


def test_refused_creation_backs_off_alerts_staff_once_and_recovers_in_batches(
        make_course, graph_emulator, sleeps, django_user_model):
    django_user_model.objects.create_user("staff", "staff@academy.example", "x", is_staff=True)
    # A superuser is the Academy office too (academy.core.permissions.is_staff), without the is_staff flag.
    django_user_model.objects.create_user("boss", "boss@academy.example", "x", is_superuser=True)
    course = make_course(kind="masterclass", days=range(1, 26))
    sessions = list(course.sessions.all())
    graph_emulator.users[graph_emulator.organizer_user_id]["access_policy"] = False  # 403

    for _attempt in range(teams.operations.MAX_ATTEMPTS + 2):
        teams.ensure_meetings(sessions, backend=_backend(graph_emulator, sleeps))
        before = len(graph_emulator.requests)
        teams.ensure_meetings(sessions, backend=_backend(graph_emulator, sleeps))  # backoff: not due yet
        graph_calls = [r for r in graph_emulator.requests[before:] if r.kind in {"graph", "batch"}]
        assert not graph_calls or _attempt == 0
        GraphOperation.objects.filter(kind="create").update(next_attempt_at=None)  # time passes

    # one per staff member, naming every session
    (alert,) = OutboxMessage.objects.filter(key__startswith="teams-alert:", to="staff@academy.example")
    assert all(f", {s.pk})" in alert.body for s in sessions)
    assert OutboxMessage.objects.filter(key__startswith="teams-alert:", to="boss@academy.example").count() == 1

    graph_emulator.users[graph_emulator.organizer_user_id]["access_policy"] = True
    before = len(graph_emulator.requests)
    result = teams.ensure_meetings(sessions, backend=_backend(graph_emulator, sleeps))

    assert len(result.meetings) == 25 and len(graph_emulator.meetings) == 25
    calls = [r.kind for r in graph_emulator.requests[before:] if r.kind in {"graph", "batch"}]
    assert calls == ["batch"] * 4  # createOrGet in two batches of 20 + 5, then two PATCH batches
