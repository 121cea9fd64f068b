"""Meetings for sessions, each created exactly once, moved with one PATCH and removed with one DELETE."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from academy.courses.models import Session

from ..backends import MeetingSpec, TeamsBackend, backend_name, get_backend
from ..graph import GraphError, GraphNotFound, GraphResponseError
from ..models import GraphOperation, TeamsMeeting
from .hosts import send_trainer_invitations
from .join_links import send_join_link_updates
from .operations import (
    CREATE_CHUNK,
    Op,
    alert_exhausted,
    check_meeting,
    creation_lock,
    current_time,
    error_text,
    external_id_for,
    finish,
    identity_down,
    jsonable,
    meeting_spec,
    retry_due,
)

logger = logging.getLogger(__name__)


def _record_meeting(session: Session, spec: MeetingSpec, meeting: dict[str, Any], backend: TeamsBackend,
                    op: GraphOperation, *, http_status: int) -> TeamsMeeting:
    """Store a created meeting and close its operation (caller holds a transaction)."""
    record, _created = TeamsMeeting.objects.update_or_create(
        session=session,
        defaults={
            "meeting_id": str(meeting["id"]), "join_url": str(meeting["joinWebUrl"]),
            "organizer_id": backend.organizer_id, "external_id": spec.external_id, "backend": backend.name,
            "status": TeamsMeeting.Status.ACTIVE, "synced_sequence": session.sequence,
            "attendance_imported_at": None, "checked_at": current_time(),  # it exists: Graph just said so
        },
    )
    finish(op, ok=True, http_status=http_status, response_id=str(meeting["id"]))
    return record



@dataclass
class EnsureResult:
    created: list[TeamsMeeting] = field(default_factory=list)
    reconciled: list[TeamsMeeting] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # session id -> error
    identity_down: bool = False  # the identity platform failed: nothing reached Graph

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
        ends_at__gt=now or current_time(),
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
    each created exactly once: new and interrupted ones alike through batched ``createOrGet``
    (the same external id finds a meeting whose creation had an unknown outcome).

    With ``notify``, confirmed registrants of sessions that only now got their meeting receive one
    updated invitation per person carrying the links, queued in the transaction that records the
    meetings (a crash cannot record a meeting and lose its e-mail).
    """
    backend = backend or get_backend()
    result = EnsureResult()
    with creation_lock():
        todo = list(sessions_needing_meetings(sessions, backend_name=backend.name))
        if not todo:
            return result
        previous = {m.session_id: m for m in TeamsMeeting.objects.filter(session__in=todo)}
        keys = {s.pk: external_id_for(s, previous.get(s.pk), backend.name) for s in todo}
        ops = {op.idempotency_key: op for op in Op.objects.filter(idempotency_key__in=[f"create:{k}" for k in
                                                                                      keys.values()])}
        now = current_time()
        due = [s for s in todo if retry_due(ops.get(f"create:{keys[s.pk]}"), now)]
        for start in range(0, len(due), CREATE_CHUNK):
            if not _create_chunk(due[start:start + CREATE_CHUNK], keys, ops, backend, result, notify=notify):
                result.identity_down = True
                break  # the identity platform is down: the next pass tries again
    return result


def _create_chunk(sessions: list[Session], keys: dict[int, str], ops: dict[str, GraphOperation],
                  backend: TeamsBackend, result: EnsureResult, *, notify: bool) -> bool:
    """One chunk; False when the failure concerns every request (the identity platform is down)."""
    specs = [meeting_spec(s, keys[s.pk]) for s in sessions]
    # 1. Record the intent, committed, before anything is sent.
    with transaction.atomic():
        resumed = [ops[f"create:{spec.external_id}"].pk for spec in specs if f"create:{spec.external_id}" in ops]
        Op.objects.filter(pk__in=resumed).update(attempts=models.F("attempts") + 1, status=Op.Status.PENDING)
        Op.objects.bulk_create([
            Op(kind=Op.Kind.CREATE, target=f"session:{s.pk}", session=s, idempotency_key=f"create:{spec.external_id}",
               backend=backend.name, request=jsonable(spec.as_request()), attempts=1)
            for s, spec in zip(sessions, specs, strict=True) if f"create:{spec.external_id}" not in ops
        ])
        batch_op = Op.objects.create(
            kind=Op.Kind.BATCH, target=f"{len(specs)} sessions", backend=backend.name, attempts=1,
            idempotency_key=f"batch:{keys[sessions[0].pk]}..{keys[sessions[-1].pk]}:{current_time().timestamp()}",
            request={"keys": [s.external_id for s in specs]},
        )
    by_key = {op.idempotency_key: op for op in
              Op.objects.filter(idempotency_key__in=[f"create:{s.external_id}" for s in specs])}
    # 2. Send.
    try:
        answers = backend.create_many(specs)
    except GraphError as exc:
        answers = [exc] * len(specs)
    # 3. Record the answers, and queue the registrants' links, in one transaction: a meeting is
    # stored with its operation and its e-mails or not at all.
    recorded: list[TeamsMeeting] = []
    refused: list[tuple[GraphOperation, Session]] = []
    with transaction.atomic():
        for session, spec, answer in zip(sessions, specs, answers, strict=True):
            op = by_key[f"create:{spec.external_id}"]
            if not isinstance(answer, GraphError):
                try:
                    check_meeting(answer)
                except GraphResponseError as exc:
                    answer = exc
            if isinstance(answer, GraphError):
                finish(op, ok=False, http_status=answer.status, error=error_text(answer))
                if identity_down(answer):
                    # Never reached Graph: no attempt spent, no backoff, no alert.
                    Op.objects.filter(pk=op.pk).update(attempts=models.F("attempts") - 1, next_attempt_at=None)
                else:
                    refused.append((op, session))
                result.failed[session.pk] = str(answer)
                continue
            created = op.attempts <= 1
            meeting = _record_meeting(session, spec, answer, backend, op, http_status=201 if created else 200)
            (result.created if created else result.reconciled).append(meeting)
            recorded.append(meeting)
        if notify and recorded:
            send_join_link_updates(recorded)
            send_trainer_invitations(recorded)
        alert_exhausted(refused)
        failures = [a for a in answers if isinstance(a, GraphError)]
        finish(batch_op, ok=not failures, http_status=200 if not failures else failures[0].status,
               response_id=f"{len(answers)} responses")
    if failures:
        logger.warning("Teams meetings not created for %s of %s sessions: %s", len(failures), len(specs), failures[0])
    return not (len(failures) == len(specs) and any(identity_down(a) for a in failures))


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
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        return recreate_meeting(session, meeting, backend)
    except GraphError as exc:
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        raise
    with transaction.atomic():
        finish(op, ok=True, http_status=200, response_id=meeting.meeting_id)
        meeting.synced_sequence = session.sequence
        meeting.save(update_fields=["synced_sequence", "updated_at"])
        announce_move(session, meeting)
    return meeting


def announces_move(session: Session) -> bool:
    """Whether Teams sends the "session moved" e-mail of ``session`` itself (its answer to
    ``academy.registrations.signals.move_announced``): yes when it has a meeting of the
    configured backend, so the e-mail goes once, after the meeting it links to is moved or re-created."""
    return TeamsMeeting.objects.filter(session_id=session.pk, status=TeamsMeeting.Status.ACTIVE,
                                       backend=backend_name()).exists()


def announce_move(session: Session, meeting: TeamsMeeting) -> None:
    """The move, once: registrants get the updated entry with the link, trainers their invitation."""
    from academy.registrations.services import notify_rescheduled

    notify_rescheduled(session)
    send_trainer_invitations([meeting])


def recreate_meeting(session: Session, meeting: TeamsMeeting, backend: TeamsBackend) -> TeamsMeeting | None:
    """The meeting was deleted in Teams: a new one (new key), and ONE e-mail per registrant with the new
    link and the current times, its calendar SEQUENCE raised so it supersedes every earlier one."""
    with transaction.atomic():
        meeting.status = TeamsMeeting.Status.DELETED
        meeting.save(update_fields=["status", "updated_at"])
        Session.objects.filter(pk=session.pk).update(sequence=models.F("sequence") + 1)
    ensure_meetings([session], backend=backend)  # records it and queues the e-mails together
    return TeamsMeeting.objects.filter(session=session, status=TeamsMeeting.Status.ACTIVE).first()


#: The periodic pass confirms that meetings of sessions starting within ``CHECK_HORIZON`` still exist
#: in Teams, each at most every ``CHECK_EVERY`` (a GET each), so a deleted one is re-created in time.
CHECK_HORIZON = datetime.timedelta(days=14)
CHECK_EVERY = datetime.timedelta(hours=6)


def check_meetings(backend: TeamsBackend, now: datetime.datetime | None = None) -> int:
    """Re-create the meetings of upcoming sessions that were deleted in Teams, and bring the others in
    line with their spec (a trainer's Teams account added since: they present, and get their new
    invitation); the number re-created."""
    now = now or current_time()
    due = (TeamsMeeting.objects.filter(status=TeamsMeeting.Status.ACTIVE, backend=backend.name,
                                       session__cancelled=False, session__ends_at__gt=now,
                                       session__starts_at__lte=now + CHECK_HORIZON)
           .filter(models.Q(checked_at__isnull=True) | models.Q(checked_at__lte=now - CHECK_EVERY))
           .select_related("session", "session__course").order_by("session__starts_at"))
    recreated = 0
    for meeting in due:
        try:
            if backend.settle(meeting.meeting_id, meeting_spec(meeting.session, meeting.external_id)):
                send_trainer_invitations([meeting])
        except GraphNotFound:
            logger.warning("Teams meeting of session %s was deleted in Teams: re-creating it", meeting.session_id)
            recreated += recreate_meeting(meeting.session, meeting, backend) is not None
            continue
        except GraphError as exc:
            if identity_down(exc):
                raise
            logger.warning("Teams meeting of session %s not checked: %s", meeting.session_id, exc)
            continue
        TeamsMeeting.objects.filter(pk=meeting.pk).update(checked_at=now)
    return recreated


def delete_orphans(backend: TeamsBackend) -> int:
    """Cancelled sessions whose meeting creation had an unknown outcome (still pending, a timed-out or
    failed batch) may have a live meeting in Teams that nothing points to: find it through createOrGet
    with the same key (the only documented lookup by externalId) and delete it, once."""
    unknown = (models.Q(status=Op.Status.PENDING) | models.Q(last_error__contains="outcome_unknown")
               | models.Q(http_status__gte=500) | models.Q(http_status__isnull=True))
    ops = (Op.objects.filter(kind=Op.Kind.CREATE, backend=backend.name, session__cancelled=True)
           .exclude(status=Op.Status.SUCCEEDED).filter(unknown).exclude(last_error__contains="identity_platform_unavailable")
           .select_related("session", "session__course"))
    deleted = 0
    with creation_lock():  # a pending operation then belongs to a dead worker, never a running one
        for op in ops:
            deleted += _delete_orphan(op, backend)
    return deleted


def _delete_orphan(op: GraphOperation, backend: TeamsBackend) -> bool:
    session, external_id = op.session, op.idempotency_key.removeprefix("create:")
    try:
        found = backend.create_or_get(meeting_spec(session, external_id))
        backend.delete(str(found["id"]))
    except GraphError as exc:
        if identity_down(exc):
            raise
        logger.warning("Orphan Teams meeting of cancelled session %s not deleted: %s", session.pk, exc)
        return False
    with transaction.atomic():
        record = _record_meeting(session, meeting_spec(session, external_id), found, backend, op, http_status=200)
        record.status = TeamsMeeting.Status.DELETED
        record.save(update_fields=["status", "updated_at"])
        Op.objects.create(kind=Op.Kind.DELETE, target=str(found["id"]), session=session, backend=backend.name,
                          idempotency_key=f"delete:{external_id}:orphan", attempts=1,
                          status=Op.Status.SUCCEEDED, http_status=204, finished_at=current_time())
    return True


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
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        raise
    with transaction.atomic():
        finish(op, ok=True, http_status=204 if existed else 404, response_id=meeting.meeting_id)
        meeting.status = TeamsMeeting.Status.DELETED
        meeting.save(update_fields=["status", "updated_at"])
    return True

