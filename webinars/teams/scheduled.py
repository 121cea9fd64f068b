"""The periodic Teams pass: catch up on whatever a failed step left behind."""

from __future__ import annotations

import datetime
import logging

from django.db import models

from ..backends import TeamsBackend, get_backend
from ..graph import GraphError
from ..models import TeamsMeeting
from .attendance import ImportResult, import_due_attendance
from .meetings import cancel_meeting, check_meetings, delete_orphans, ensure_meetings, sync_meeting
from .operations import current_time, identity_down

logger = logging.getLogger(__name__)


def scheduled_pass(now: datetime.datetime | None = None, *, backend: TeamsBackend | None = None) -> dict[str, int]:
    """What a periodic scheduler runs (every few minutes): create meetings that are still missing
    (e.g. Graph was down when the page was published), PATCH meetings whose session moved while a
    sync failed, re-create upcoming meetings deleted in Teams, delete meetings of cancelled sessions
    (orphans of an unknown creation outcome included), and import attendance that is due. Each step
    is idempotent; a misconfigured backend is logged, never raised, so the scheduler's other duties
    go on. When the identity platform fails, the pass's Graph work ends there (the next pass resumes)."""
    summary = dict.fromkeys(("meetings_created", "meetings_synced", "meetings_recreated", "meetings_deleted",
                             "attendance_imported"), 0)
    try:
        backend = backend or get_backend()
    except GraphError as exc:
        logger.error("Teams backend unavailable, scheduled pass skipped: %s", exc)
        return summary
    now = now or current_time()
    ensured = ensure_meetings(backend=backend)
    summary["meetings_created"] = len(ensured.meetings)
    if ensured.identity_down:
        return summary
    try:
        summary["meetings_synced"] = _each(TeamsMeeting.objects.filter(
            status=TeamsMeeting.Status.ACTIVE, session__cancelled=False, session__ends_at__gt=now,
            synced_sequence__lt=models.F("session__sequence")), lambda m: bool(sync_meeting(m.session, backend=backend)))
        summary["meetings_recreated"] = check_meetings(backend, now)
        summary["meetings_deleted"] = _each(
            TeamsMeeting.objects.filter(status=TeamsMeeting.Status.ACTIVE, session__cancelled=True),
            lambda m: cancel_meeting(m.session, backend=backend)) + delete_orphans(backend)
        imported = import_due_attendance(now, backend=backend)
    except GraphError as exc:  # only the identity platform's failure gets here
        logger.warning("Teams pass stopped: %s", exc)
        return summary
    summary["attendance_imported"] = sum(isinstance(result, ImportResult) for result in imported.values())
    return summary


def _each(meetings, step) -> int:
    """Run ``step`` on each meeting; a failure is logged and skipped, an identity outage re-raised."""
    done = 0
    for meeting in meetings.select_related("session"):
        try:
            done += bool(step(meeting))
        except GraphError as exc:
            if identity_down(exc):
                raise
            logger.warning("Teams meeting of session %s: %s", meeting.session_id, exc)
    return done
