"""The periodic Teams pass: catch up on whatever a failed step left behind."""

from __future__ import annotations

import datetime
import logging

from django.db import models

from ..backends import TeamsBackend, get_backend
from ..graph import GraphError
from ..models import TeamsMeeting
from .attendance import import_due_attendance
from .meetings import cancel_meeting, ensure_meetings, sync_meeting
from .operations import (
    current_time,
)

logger = logging.getLogger(__name__)


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
                                        session__ends_at__gt=now or current_time(),
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
