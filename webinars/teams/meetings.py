"""Meetings for sessions, each created exactly once, moved with one PATCH and removed with one DELETE."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from academy.courses.models import Session

from ..backends import MeetingSpec, TeamsBackend, get_backend
from ..graph import GraphError, GraphNotFound, GraphResponseError
from ..models import GraphOperation, TeamsMeeting
from .join_links import send_join_link_updates
from .operations import (
    CREATE_CHUNK,
    Op,
    check_meeting,
    creation_lock,
    current_time,
    error_text,
    external_id_for,
    finish,
    jsonable,
    meeting_spec,
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
            "attendance_imported_at": None,
        },
    )
    finish(op, ok=True, http_status=http_status, response_id=str(meeting["id"]))
    return record



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
    each created exactly once: new ones through JSON batches, interrupted ones reconciled.

    With ``notify``, confirmed registrants of a session that only now got its meeting receive an
    updated invitation carrying the link (their first one went out without it).
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
        fresh = [s for s in todo if f"create:{keys[s.pk]}" not in ops]
        resume = [s for s in todo if f"create:{keys[s.pk]}" in ops]
        for start in range(0, len(fresh), CREATE_CHUNK):
            _create_chunk(fresh[start:start + CREATE_CHUNK], keys, backend, result)
        for session in resume:
            _reconcile(session, keys[session.pk], ops[f"create:{keys[session.pk]}"], backend, result)
    if notify:
        for meeting in result.meetings:
            send_join_link_updates(meeting)
    return result


def _create_chunk(sessions: list[Session], keys: dict[int, str], backend: TeamsBackend,
                  result: EnsureResult) -> None:
    specs = [meeting_spec(s, keys[s.pk]) for s in sessions]
    # 1. Record the intent, committed, before anything is sent.
    with transaction.atomic():
        ops = Op.objects.bulk_create([
            Op(kind=Op.Kind.CREATE, target=f"session:{s.pk}", session=s, idempotency_key=f"create:{spec.external_id}",
               backend=backend.name, request=jsonable(spec.as_request()), attempts=1)
            for s, spec in zip(sessions, specs, strict=True)
        ])
        batch_op = Op.objects.create(
            kind=Op.Kind.BATCH, target=f"{len(specs)} sessions", backend=backend.name, attempts=1,
            idempotency_key=f"batch:{keys[sessions[0].pk]}..{keys[sessions[-1].pk]}:{current_time().timestamp()}",
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
                finish(by_key[f"create:{spec.external_id}"], ok=False, http_status=exc.status, error=error_text(exc))
                result.failed[session.pk] = str(exc)
            finish(batch_op, ok=False, http_status=exc.status, error=error_text(exc))
        logger.warning("Teams meeting batch failed: %s", exc)
        return
    # 3. Record the answers in one transaction: a meeting is stored with its operation or not at all.
    with transaction.atomic():
        for session, spec, answer in zip(sessions, specs, answers, strict=True):
            op = by_key[f"create:{spec.external_id}"]
            if isinstance(answer, GraphError):
                finish(op, ok=False, http_status=answer.status, error=error_text(answer))
                result.failed[session.pk] = str(answer)
                continue
            try:
                check_meeting(answer)
            except GraphResponseError as exc:
                finish(op, ok=False, error=error_text(exc))
                result.failed[session.pk] = str(exc)
                continue
            result.created.append(_record_meeting(session, spec, answer, backend, op, http_status=201))
        finish(batch_op, ok=not any(isinstance(a, GraphError) for a in answers), http_status=200,
                response_id=f"{len(answers)} responses")


def _reconcile(session: Session, external_id: str, op: GraphOperation, backend: TeamsBackend,
               result: EnsureResult) -> None:
    """A creation that never completed (pending: its worker died; failed: outcome unknown)."""
    spec = meeting_spec(session, external_id)
    Op.objects.filter(pk=op.pk).update(attempts=op.attempts + 1, status=Op.Status.PENDING)
    op.refresh_from_db()
    try:
        meeting = check_meeting(backend.create_or_get(spec))
    except GraphError as exc:
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        result.failed[session.pk] = str(exc)
        logger.warning("Teams meeting for session %s not reconciled: %s", session.pk, exc)
        return
    with transaction.atomic():
        result.reconciled.append(_record_meeting(session, spec, meeting, backend, op, http_status=200))



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
            finish(op, ok=False, http_status=exc.status, error=error_text(exc))
            meeting.status = TeamsMeeting.Status.DELETED
            meeting.save(update_fields=["status", "updated_at"])
        ensure_meetings([session], backend=backend)
        return TeamsMeeting.objects.filter(session=session, status=TeamsMeeting.Status.ACTIVE).first()
    except GraphError as exc:
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        raise
    with transaction.atomic():
        finish(op, ok=True, http_status=200, response_id=meeting.meeting_id)
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
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        raise
    with transaction.atomic():
        finish(op, ok=True, http_status=204 if existed else 404, response_id=meeting.meeting_id)
        meeting.status = TeamsMeeting.Status.DELETED
        meeting.save(update_fields=["status", "updated_at"])
    return True

