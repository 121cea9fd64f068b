"""The Teams integration's rules: meetings for sessions, personal join links, attendance import.

Every function here is THE place for its rule; the page-publish and session signals, the tasks,
the management command and the Wagtail admin buttons all call them.

Exactly-once meetings
---------------------
Graph's ``POST /onlineMeetings`` is not idempotent: a worker that dies between Graph creating the
meeting and our commit would, on a naive retry, create a second one. So each creation is first
recorded as a ``pending`` :class:`GraphOperation` under a deterministic key
(``create:academy-session-<id>``) and committed; the same key travels to Graph as the meeting's
``externalId``. When the answer arrives the operation and the :class:`TeamsMeeting` are written in
one transaction. A later run that finds the operation still ``pending`` (its worker died) or
``failed`` (outcome unknown) does not POST again: it *reconciles* with
``POST /onlineMeetings/createOrGet`` and the same ``externalId``, which returns the meeting if it
exists and creates it otherwise. Creation runs under a lock (a PostgreSQL advisory lock) so a
``pending`` operation seen by a run always belongs to a dead worker, never to a concurrent one.

Join links are secrets
----------------------
``join_url_for`` is the only reader of ``TeamsMeeting.join_url`` outside staff screens: it answers
for confirmed registrations only and is plugged into the registrations' invitation e-mails.
Public pages and iCal feeds never call it.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from academy.attendance.models import AttendanceRecord
from academy.attendance.services import record_minutes
from academy.courses.models import Session
from academy.network.models import Person
from academy.registrations.models import Registration

from .backends import MeetingSpec, TeamsBackend, get_backend
from .graph import GraphError, GraphNotFound, GraphResponseError
from .models import EmailAlias, GraphOperation, TeamsMeeting, UnmatchedAttendance

logger = logging.getLogger(__name__)

Op = GraphOperation
LOCK_NAMESPACE = 720  # pg_advisory_lock(720, 1): "teams meeting creation"
#: Sessions created per call to the backend (the client splits them into $batch requests of 20).
CREATE_CHUNK = 100
#: Attendance is imported this long after a session ends (Teams needs a few minutes for the report).
ATTENDANCE_DELAY = datetime.timedelta(minutes=30)


class TeamsError(Exception):
    """A Teams rule refused (no meeting to import from, not allowed, ...); message for staff."""


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return timezone.now()


@contextlib.contextmanager
def _creation_lock() -> Iterator[None]:
    """Serialise meeting creation across workers (session-level advisory lock: it must survive the
    commits made in between; released by PostgreSQL if the worker dies). SQLite has one writer."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, 1])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, 1])


def external_id_for(session: Session, previous: TeamsMeeting | None = None, backend_name: str = "") -> str:
    """Deterministic idempotency key of a session's meeting; a new one only if the previous
    meeting was deleted (the session's SEQUENCE was bumped when it was cancelled) or was made by
    another backend (the key then names the new backend)."""
    if previous is not None and previous.status == TeamsMeeting.Status.DELETED:
        return f"academy-session-{session.pk}-{session.sequence}"
    if previous is not None and backend_name and previous.backend != backend_name:
        return f"academy-session-{session.pk}-{backend_name}"
    return f"academy-session-{session.pk}"


def meeting_spec(session: Session, external_id: str) -> MeetingSpec:
    course = session.course
    subject = course.title if not session.title else f"{course.title} — {session.title}"
    return MeetingSpec(external_id=external_id, subject=subject[:250], start=session.starts_at, end=session.ends_at)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:4000]


def _finish(op: GraphOperation, *, ok: bool, http_status: int | None = None, response_id: str = "",
            error: str = "") -> None:
    op.status = Op.Status.SUCCEEDED if ok else Op.Status.FAILED
    op.http_status = http_status
    op.response_id = response_id[:600]
    op.error = error
    op.finished_at = _now()
    op.save(update_fields=["status", "http_status", "response_id", "error", "finished_at"])


def _record_meeting(session: Session, spec: MeetingSpec, meeting: dict[str, Any], backend: TeamsBackend,
                    op: GraphOperation, *, http_status: int) -> TeamsMeeting:
    """Store a created meeting and close its operation (caller holds a transaction)."""
    record, _created = TeamsMeeting.objects.update_or_create(
        session=session,
        defaults={
            "meeting_id": str(meeting["id"]), "join_url": str(meeting["joinWebUrl"]),
            "organizer_id": backend.organizer_id, "external_id": spec.external_id, "backend": backend.name,
            "status": TeamsMeeting.Status.ACTIVE, "synced_sequence": session.sequence,
            "attendance_imported_at": None,
        },
    )
    _finish(op, ok=True, http_status=http_status, response_id=str(meeting["id"]))
    return record


def _check_meeting(meeting: dict[str, Any]) -> dict[str, Any]:
    """Backends validate too; this guards the database against any backend returning less."""
    if not meeting.get("id") or not meeting.get("joinWebUrl"):
        raise GraphResponseError("meeting without id or joinWebUrl; not recording it")
    return meeting


# --------------------------------------------------------------------------------------------------
# meetings
# --------------------------------------------------------------------------------------------------


@dataclass
class EnsureResult:
    created: list[TeamsMeeting] = field(default_factory=list)
    reconciled: list[TeamsMeeting] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # session id -> error

    @property
    def meetings(self) -> list[TeamsMeeting]:
        return self.created + self.reconciled


def sessions_needing_meetings(sessions: Iterable[Session] | None = None, *, now: datetime.datetime | None = None,
                              backend_name: str | None = None):
    """Online/hybrid, not cancelled, not ended sessions of live courses without an active meeting.

    A meeting made by another backend counts as missing: after switching from ``dry-run`` to
    ``graph`` every upcoming session gets a real meeting (and its registrants the real link)."""
    qs = Session.objects.filter(
        cancelled=False, mode__in=[Session.Mode.ONLINE, Session.Mode.HYBRID], course__live=True,
        ends_at__gt=now or _now(),
    ).select_related("course")
    if backend_name is None:
        qs = qs.exclude(teams_meeting__status=TeamsMeeting.Status.ACTIVE)
    else:
        qs = qs.exclude(teams_meeting__status=TeamsMeeting.Status.ACTIVE, teams_meeting__backend=backend_name)
    if sessions is not None:
        qs = qs.filter(pk__in=[s.pk if isinstance(s, Session) else int(s) for s in sessions])
    return qs.order_by("starts_at", "pk")


def ensure_meetings(sessions: Iterable[Session] | None = None, *, backend: TeamsBackend | None = None,
                    notify: bool = True) -> EnsureResult:
    """Give every eligible session among ``sessions`` (all upcoming ones if None) its meeting,
    each created exactly once: new ones through JSON batches, interrupted ones reconciled.

    With ``notify``, confirmed registrants of a session that only now got its meeting receive an
    updated invitation carrying the link (their first one went out without it).
    """
    backend = backend or get_backend()
    result = EnsureResult()
    with _creation_lock():
        todo = list(sessions_needing_meetings(sessions, backend_name=backend.name))
        if not todo:
            return result
        previous = {m.session_id: m for m in TeamsMeeting.objects.filter(session__in=todo)}
        keys = {s.pk: external_id_for(s, previous.get(s.pk), backend.name) for s in todo}
        ops = {op.idempotency_key: op for op in Op.objects.filter(idempotency_key__in=[f"create:{k}" for k in
                                                                                      keys.values()])}
        fresh = [s for s in todo if f"create:{keys[s.pk]}" not in ops]
        resume = [s for s in todo if f"create:{keys[s.pk]}" in ops]
        for start in range(0, len(fresh), CREATE_CHUNK):
            _create_chunk(fresh[start:start + CREATE_CHUNK], keys, backend, result)
        for session in resume:
            _reconcile(session, keys[session.pk], ops[f"create:{keys[session.pk]}"], backend, result)
    if notify:
        for meeting in result.meetings:
            _send_join_link_updates(meeting)
    return result


def _create_chunk(sessions: list[Session], keys: dict[int, str], backend: TeamsBackend,
                  result: EnsureResult) -> None:
    specs = [meeting_spec(s, keys[s.pk]) for s in sessions]
    # 1. Record the intent, committed, before anything is sent.
    with transaction.atomic():
        ops = Op.objects.bulk_create([
            Op(kind=Op.Kind.CREATE, target=f"session:{s.pk}", session=s, idempotency_key=f"create:{spec.external_id}",
               backend=backend.name, request=_jsonable(spec.as_request()), attempts=1)
            for s, spec in zip(sessions, specs, strict=True)
        ])
        batch_op = Op.objects.create(
            kind=Op.Kind.BATCH, target=f"{len(specs)} sessions", backend=backend.name, attempts=1,
            idempotency_key=f"batch:{keys[sessions[0].pk]}..{keys[sessions[-1].pk]}:{_now().timestamp()}",
            request={"keys": [s.external_id for s in specs]},
        )
    ops = list(Op.objects.filter(idempotency_key__in=[f"create:{s.external_id}" for s in specs]).order_by("pk"))
    by_key = {op.idempotency_key: op for op in ops}
    # 2. Send.
    try:
        answers = backend.create_many(specs)
    except GraphError as exc:
        # Outcome unknown for the whole chunk: leave the operations failed; the next run reconciles.
        with transaction.atomic():
            for spec, session in zip(specs, sessions, strict=True):
                _finish(by_key[f"create:{spec.external_id}"], ok=False, http_status=exc.status, error=_error_text(exc))
                result.failed[session.pk] = str(exc)
            _finish(batch_op, ok=False, http_status=exc.status, error=_error_text(exc))
        logger.warning("Teams meeting batch failed: %s", exc)
        return
    # 3. Record the answers in one transaction: a meeting is stored with its operation or not at all.
    with transaction.atomic():
        for session, spec, answer in zip(sessions, specs, answers, strict=True):
            op = by_key[f"create:{spec.external_id}"]
            if isinstance(answer, GraphError):
                _finish(op, ok=False, http_status=answer.status, error=_error_text(answer))
                result.failed[session.pk] = str(answer)
                continue
            try:
                _check_meeting(answer)
            except GraphResponseError as exc:
                _finish(op, ok=False, error=_error_text(exc))
                result.failed[session.pk] = str(exc)
                continue
            result.created.append(_record_meeting(session, spec, answer, backend, op, http_status=201))
        _finish(batch_op, ok=not any(isinstance(a, GraphError) for a in answers), http_status=200,
                response_id=f"{len(answers)} responses")


def _reconcile(session: Session, external_id: str, op: GraphOperation, backend: TeamsBackend,
               result: EnsureResult) -> None:
    """A creation that never completed (pending: its worker died; failed: outcome unknown)."""
    spec = meeting_spec(session, external_id)
    Op.objects.filter(pk=op.pk).update(attempts=op.attempts + 1, status=Op.Status.PENDING)
    op.refresh_from_db()
    try:
        meeting = _check_meeting(backend.create_or_get(spec))
    except GraphError as exc:
        _finish(op, ok=False, http_status=exc.status, error=_error_text(exc))
        result.failed[session.pk] = str(exc)
        logger.warning("Teams meeting for session %s not reconciled: %s", session.pk, exc)
        return
    with transaction.atomic():
        result.reconciled.append(_record_meeting(session, spec, meeting, backend, op, http_status=200))


def _jsonable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime.datetime) else v) for k, v in body.items()}


def _send_join_link_updates(meeting: TeamsMeeting) -> int:
    """Confirmed registrants invited before the meeting existed get the link now (exactly once)."""
    from academy.registrations.invitations import send_invitation

    session = Session.objects.select_related("course").get(pk=meeting.session_id)
    registrations = Registration.objects.filter(course_id=session.course_id,
                                                status=Registration.Status.CONFIRMED).select_related("person")
    sent = 0
    with transaction.atomic():
        for registration in registrations:
            send_invitation(registration, "updated", sessions=[session],
                            key_suffix=f"{session.pk}-{session.sequence}-teams-{meeting.external_id}")
            sent += 1
    return sent


def sync_meeting(session: Session, *, backend: TeamsBackend | None = None) -> TeamsMeeting | None:
    """PATCH the meeting's start and end when the session moved (``Session.sequence`` is ahead of
    ``synced_sequence``). Idempotent: PATCH with the same times twice is harmless, and a synced
    meeting is not touched. A meeting deleted in Teams meanwhile is re-created."""
    session = Session.objects.select_related("course").get(pk=session.pk)
    meeting = TeamsMeeting.objects.filter(session=session, status=TeamsMeeting.Status.ACTIVE).first()
    if meeting is None or session.cancelled:
        return None
    if meeting.synced_sequence >= session.sequence:
        return meeting
    backend = backend or get_backend()
    if meeting.backend != backend.name:
        return None  # made by another backend: ensure_meetings replaces it with one of this backend
    op, _created = Op.objects.get_or_create(
        idempotency_key=f"update:{meeting.external_id}:seq-{session.sequence}",
        defaults={"kind": Op.Kind.UPDATE, "target": meeting.meeting_id, "session": session, "backend": backend.name,
                  "request": {"startDateTime": session.starts_at.isoformat(),
                              "endDateTime": session.ends_at.isoformat()}},
    )
    Op.objects.filter(pk=op.pk).update(attempts=op.attempts + 1, status=Op.Status.PENDING)
    try:
        backend.update(meeting.meeting_id, session.starts_at, session.ends_at)
    except GraphNotFound as exc:
        with transaction.atomic():
            _finish(op, ok=False, http_status=exc.status, error=_error_text(exc))
            meeting.status = TeamsMeeting.Status.DELETED
            meeting.save(update_fields=["status", "updated_at"])
        ensure_meetings([session], backend=backend)
        return TeamsMeeting.objects.filter(session=session, status=TeamsMeeting.Status.ACTIVE).first()
    except GraphError as exc:
        _finish(op, ok=False, http_status=exc.status, error=_error_text(exc))
        raise
    with transaction.atomic():
        _finish(op, ok=True, http_status=200, response_id=meeting.meeting_id)
        meeting.synced_sequence = session.sequence
        meeting.save(update_fields=["synced_sequence", "updated_at"])
    return meeting


def cancel_meeting(session: Session, *, backend: TeamsBackend | None = None) -> bool:
    """Delete the meeting of a cancelled session (a 404 counts as done). True if one was removed."""
    meeting = TeamsMeeting.objects.filter(session_id=session.pk, status=TeamsMeeting.Status.ACTIVE).first()
    if meeting is None:
        return False
    backend = backend or get_backend()
    op, _created = Op.objects.get_or_create(
        idempotency_key=f"delete:{meeting.external_id}",
        defaults={"kind": Op.Kind.DELETE, "target": meeting.meeting_id, "session_id": session.pk,
                  "backend": backend.name},
    )
    Op.objects.filter(pk=op.pk).update(attempts=op.attempts + 1, status=Op.Status.PENDING)
    try:
        existed = backend.delete(meeting.meeting_id)
    except GraphError as exc:
        _finish(op, ok=False, http_status=exc.status, error=_error_text(exc))
        raise
    with transaction.atomic():
        _finish(op, ok=True, http_status=204 if existed else 404, response_id=meeting.meeting_id)
        meeting.status = TeamsMeeting.Status.DELETED
        meeting.save(update_fields=["status", "updated_at"])
    return True


def join_url_for(session: Session, registration: Registration) -> str:
    """The session's join link for this registration: only when confirmed, for a session of the
    registration's course that is online and not cancelled, and only once the meeting exists."""
    if registration.status != Registration.Status.CONFIRMED:
        return ""
    if session.cancelled or not session.is_online or session.course_id != registration.course_id:
        return ""
    url = (TeamsMeeting.objects.filter(session_id=session.pk, status=TeamsMeeting.Status.ACTIVE)
           .values_list("join_url", flat=True).first())
    return url or ""


# --------------------------------------------------------------------------------------------------
# attendance
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    matched: int
    unmatched: int
    replaced: int
    reports: int = 0
    records: int = 0


def _attendee_key(record: dict[str, Any]) -> tuple[str, str]:
    email = str(record.get("emailAddress") or "").strip().lower()
    identity = record.get("identity") or {}
    name = str(identity.get("displayName") or "").strip() if isinstance(identity, dict) else ""
    return email, name


def import_attendance(session: Session, *, backend: TeamsBackend | None = None) -> ImportResult:
    """Read every attendance report of the session's meeting and store minutes per registrant.

    Seconds are summed per e-mail across reports (someone who dropped and re-joined, or a meeting
    that ran twice), matched case-insensitively to the registrants' e-mails and to staff-made
    aliases, and written with source ``teams``. A re-import REPLACES the previous Teams figures
    (the report is the whole truth); if Teams returns no records at all (a report of a running
    meeting can be empty) nothing is replaced. Entries matching nobody are kept as
    :class:`UnmatchedAttendance` for staff.
    """
    session = Session.objects.select_related("course").get(pk=session.pk)
    meeting = TeamsMeeting.objects.filter(session=session).first()
    if meeting is None:
        raise TeamsError(f"Session {session.pk} has no Teams meeting to import attendance from.")
    backend = backend or get_backend()
    op = Op.objects.create(
        kind=Op.Kind.ATTENDANCE, target=meeting.meeting_id, session=session, backend=backend.name, attempts=1,
        idempotency_key=f"attendance:{meeting.external_id}:{uuid.uuid4().hex}",
    )
    try:
        report_count, records = backend.attendance(meeting.meeting_id)
    except GraphError as exc:
        _finish(op, ok=False, http_status=exc.status, error=_error_text(exc))
        raise
    # Sum per attendee across reports.
    totals: dict[str, dict[str, Any]] = {}
    for record in records:
        if str(record.get("role") or "").lower() == "organizer":
            continue  # the service account that owns the meeting
        email, name = _attendee_key(record)
        key = email or f"name:{name.lower()}"
        entry = totals.setdefault(key, {"email": email, "name": name, "seconds": 0})
        entry["seconds"] += max(0, int(record.get("totalAttendanceInSeconds") or 0))
        entry["name"] = entry["name"] or name
    summary = f"{report_count} reports, {len(records)} records"
    if not totals:
        _finish(op, ok=True, http_status=200, response_id=summary)
        return ImportResult(0, 0, 0, report_count, len(records))

    registrant_people = Person.objects.filter(registrations__course_id=session.course_id).distinct()
    by_email = {p.email.strip().lower(): p for p in registrant_people if p.email}
    emails = [t["email"] for t in totals.values() if t["email"]]
    aliases = {a.email: a.person for a in EmailAlias.objects.filter(email__in=emails).select_related("person")}
    seconds_by_person: dict[int, int] = {}
    people: dict[int, Person] = {}
    unmatched: list[UnmatchedAttendance] = []
    matched = 0
    for entry in totals.values():
        person = (by_email.get(entry["email"]) or aliases.get(entry["email"])) if entry["email"] else None
        if person is None:
            unmatched.append(UnmatchedAttendance(session=session, email=entry["email"][:320],
                                                 display_name=entry["name"][:300], minutes=entry["seconds"] // 60))
            continue
        matched += 1
        people[person.pk] = person
        seconds_by_person[person.pk] = seconds_by_person.get(person.pk, 0) + entry["seconds"]

    with transaction.atomic():
        previous = AttendanceRecord.objects.filter(session=session, source=AttendanceRecord.Source.TEAMS)
        replaced = previous.count()
        previous.exclude(person_id__in=list(people)).delete()
        for person_id, seconds in seconds_by_person.items():
            record_minutes(session, people[person_id], seconds // 60, AttendanceRecord.Source.TEAMS)
        UnmatchedAttendance.objects.filter(session=session, resolved_at__isnull=True).delete()
        UnmatchedAttendance.objects.bulk_create(unmatched)
        meeting.attendance_imported_at = _now()
        meeting.save(update_fields=["attendance_imported_at", "updated_at"])
        _finish(op, ok=True, http_status=200, response_id=summary)
    return ImportResult(matched, len(unmatched), replaced, report_count, len(records))


def sessions_due_for_import(now: datetime.datetime | None = None):
    """Sessions with a meeting that ended ``ATTENDANCE_DELAY`` ago and were never imported."""
    now = now or _now()
    return Session.objects.filter(
        teams_meeting__isnull=False, teams_meeting__attendance_imported_at__isnull=True,
        ends_at__lte=now - ATTENDANCE_DELAY, cancelled=False,
    ).order_by("ends_at", "pk")


def import_due_attendance(now: datetime.datetime | None = None, *,
                          backend: TeamsBackend | None = None) -> dict[int, ImportResult | str]:
    """Import every due session; one failure does not stop the others (it stays due)."""
    outcome: dict[int, ImportResult | str] = {}
    for session in sessions_due_for_import(now):
        try:
            outcome[session.pk] = import_attendance(session, backend=backend)
        except (GraphError, TeamsError) as exc:
            logger.warning("Attendance import for session %s failed: %s", session.pk, exc)
            outcome[session.pk] = str(exc)
    return outcome


def resolve_unmatched(unmatched: UnmatchedAttendance, person: Person, by) -> AttendanceRecord:
    """Staff say who an unmatched attendee is: the e-mail becomes an alias of ``person`` (so future
    imports match it) and the minutes are added to the person's Teams record for the session."""
    if not (by is not None and getattr(by, "is_authenticated", False) and (by.is_staff or by.is_superuser)):
        raise TeamsError("Only staff can resolve attendance.")
    with transaction.atomic():
        unmatched = UnmatchedAttendance.objects.select_for_update().get(pk=unmatched.pk)
        if unmatched.resolved_at is not None:
            raise TeamsError("This attendance entry has already been resolved.")
        if unmatched.email:
            alias, _created = EmailAlias.objects.get_or_create(email=unmatched.email.lower(),
                                                               defaults={"person": person, "created_by": by})
            if alias.person_id != person.pk:
                raise TeamsError(f"{unmatched.email} is already an alias of someone else.")
        existing = AttendanceRecord.objects.filter(session_id=unmatched.session_id, person=person,
                                                   source=AttendanceRecord.Source.TEAMS).first()
        minutes = unmatched.minutes + (existing.minutes if existing else 0)
        record = record_minutes(unmatched.session, person, minutes, AttendanceRecord.Source.TEAMS, by=by,
                                reason=f"Teams attendance of {unmatched.email or unmatched.display_name}")
        unmatched.resolved_person = person
        unmatched.resolved_by = by
        unmatched.resolved_at = _now()
        unmatched.save(update_fields=["resolved_person", "resolved_by", "resolved_at"])
    return record


def scheduled_pass(now: datetime.datetime | None = None, *, backend: TeamsBackend | None = None) -> dict[str, int]:
    """What a periodic scheduler runs (every few minutes): create meetings that are still missing
    (e.g. Graph was down when the page was published), PATCH meetings whose session moved while a
    sync failed, delete meetings of cancelled sessions whose deletion failed, and import attendance
    that is due. Each step is idempotent; a misconfigured backend is logged, never raised, so the
    scheduler's other duties go on."""
    try:
        backend = backend or get_backend()
    except GraphError as exc:
        logger.error("Teams backend unavailable, scheduled pass skipped: %s", exc)
        return {"meetings_created": 0, "meetings_synced": 0, "meetings_deleted": 0, "attendance_imported": 0}
    ensured = ensure_meetings(backend=backend)
    synced = 0
    stale = TeamsMeeting.objects.filter(status=TeamsMeeting.Status.ACTIVE, session__cancelled=False,
                                        session__ends_at__gt=now or _now(),
                                        synced_sequence__lt=models.F("session__sequence"))
    for meeting in stale.select_related("session"):
        try:
            sync_meeting(meeting.session, backend=backend)
            synced += 1
        except GraphError as exc:
            logger.warning("Teams meeting of session %s not synced: %s", meeting.session_id, exc)
    deleted = 0
    orphans = TeamsMeeting.objects.filter(status=TeamsMeeting.Status.ACTIVE, session__cancelled=True)
    for meeting in orphans.select_related("session"):
        try:
            deleted += cancel_meeting(meeting.session, backend=backend)
        except GraphError as exc:
            logger.warning("Teams meeting of cancelled session %s not deleted: %s", meeting.session_id, exc)
    imported = import_due_attendance(now, backend=backend)
    return {"meetings_created": len(ensured.meetings), "meetings_synced": synced, "meetings_deleted": deleted,
            "attendance_imported": len(imported)}
