"""The operations log of Graph calls and the small rules every Teams step shares: idempotency keys,
the meeting spec of a session, the creation lock, closing an operation."""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.permissions import staff_users
from academy.core.retrying import alert_staff_once
from academy.courses.models import Session

from ..backends import MeetingSpec
from ..graph import GraphResponseError
from ..models import GraphOperation, TeamsMeeting

logger = logging.getLogger(__name__)


Op = GraphOperation
LOCK_NAMESPACE = 720  # pg_advisory_lock(720, 1): "teams meeting creation"
#: Sessions created per call to the backend (the client splits them into $batch requests of 20).
CREATE_CHUNK = 100
#: Attendance is imported this long after a session ends (Teams needs a few minutes for the report).
ATTENDANCE_DELAY = datetime.timedelta(minutes=30)


#: Staff are alerted once when an operation has failed this many times (``GraphOperation.retry_policy``).
MAX_ATTEMPTS = GraphOperation.retry_policy.max_attempts


class TeamsError(Exception):
    """A Teams rule refused (no meeting to import from, not allowed, ...); message for staff."""



def current_time() -> datetime.datetime:
    return timezone.now()


@contextlib.contextmanager
def creation_lock() -> Iterator[None]:
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
    """What the session's meeting must look like, lobby and presenters included (see ``hosts``)."""
    from .hosts import hosts_for, lobby_policy

    course = session.course
    subject = course.title if not session.title else f"{course.title} — {session.title}"
    scope, dial_in = lobby_policy()
    return MeetingSpec(external_id=external_id, subject=subject[:250], start=session.starts_at, end=session.ends_at,
                       lobby_scope=scope, dial_in_bypass=dial_in, hosts=hosts_for(course.canonical))


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:4000]


def finish(op: GraphOperation, *, ok: bool, http_status: int | None = None, response_id: str = "",
            error: str = "") -> None:
    op.status = Op.Status.SUCCEEDED if ok else Op.Status.FAILED
    op.http_status = http_status
    op.response_id = response_id[:600]
    op.finished_at = current_time()
    if ok:
        op.last_error, op.next_attempt_at = "", None
    else:
        op.record_failure(error, op.finished_at)
    op.save(update_fields=["status", "http_status", "response_id", "last_error", "next_attempt_at", "finished_at"])




def check_meeting(meeting: dict[str, Any]) -> dict[str, Any]:
    """Backends validate too; this guards the database against any backend returning less."""
    if not meeting.get("id") or not meeting.get("joinWebUrl"):
        raise GraphResponseError("meeting without id or joinWebUrl; not recording it")
    return meeting



def jsonable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime.datetime) else v) for k, v in body.items()}



def retry_due(op: GraphOperation | None, now: datetime.datetime) -> bool:
    """Whether a creation may be (re)tried now: new, interrupted (still pending), or failed long
    enough ago for its attempt count (backoff per operation, so one bad session does not slow the
    others and a refused call is not repeated every pass)."""
    return op is None or op.status != Op.Status.FAILED or op.next_attempt_at is None or op.next_attempt_at <= now


def identity_down(exc: BaseException) -> bool:
    """The identity platform (not one request) failed: nothing else can work in this pass."""
    return getattr(exc, "code", "") == "identity_platform_unavailable"


def alert_exhausted(failed: list[tuple[GraphOperation, Session]]) -> int:
    """Operations whose attempts have just run out: one e-mail to each staff member through the
    outbox, naming the sessions, so somebody looks at the access policy or the session; the backoff
    keeps retrying at most hourly."""
    if not failed:
        return 0

    def line(op: GraphOperation) -> str:
        session = op.session
        where = f"{session.course.title} ({session.starts_at:%Y-%m-%d %H:%M}, {session.pk})" if session else op.target
        return f"- {where}: {op.last_error[:300]}"

    intro = _("After %(attempts)s attempts Microsoft Teams still refuses these meetings; see Teams "
              "operations in the admin.") % {"attempts": MAX_ATTEMPTS}
    return alert_staff_once(
        Op.objects.filter(pk__in=[op.pk for op, _session in failed]).select_related("session__course"),
        key_prefix="teams-alert:", recipients=staff_users().exclude(email="").values_list("email", flat=True),
        subject=_("Teams: meetings could not be created"), intro=intro, line=line)
