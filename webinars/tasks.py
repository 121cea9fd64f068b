"""Background tasks (django-tasks) around Teams and its step of the periodic pass; each is a thin
call into ``webinars.teams``.

Arguments are ids (JSON-serialisable); a task that finds nothing to do returns quietly, so a
duplicate enqueue is harmless.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver
from django_tasks import task

from academy.core.periodic import periodic
from academy.courses.models import CoursePage, Session

logger = logging.getLogger(__name__)


@task()
def ensure_course_meetings_task(page_id: int) -> int:
    """After a course page is published: meetings for its online sessions."""
    from .signals import schedule_attendance_import
    from .teams import ensure_meetings

    page = CoursePage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    course = page.canonical
    result = ensure_meetings(list(course.sessions.all()))
    for meeting in result.meetings:
        schedule_attendance_import(meeting.session, import_attendance_task)
    return len(result.meetings)


@task()
def sync_meeting_task(session_id: int) -> bool:
    from .teams import sync_meeting

    session = Session.objects.filter(pk=session_id).first()
    return bool(session and sync_meeting(session))


@task()
def cancel_meeting_task(session_id: int) -> bool:
    from .teams import cancel_meeting

    session = Session.objects.filter(pk=session_id).first()
    return bool(session and cancel_meeting(session))


@task()
def import_attendance_task(session_id: int) -> dict:
    """Scheduled at a session's end + 30 minutes (where the task backend can defer)."""
    from .teams import import_attendance, sessions_due_for_import

    session = sessions_due_for_import().filter(pk=session_id).first()
    if session is None:
        return {}
    result = import_attendance(session)
    return {"matched": result.matched, "unmatched": result.unmatched, "replaced": result.replaced}


@receiver(periodic, dispatch_uid="webinars.teams_scheduled_pass")
def teams_scheduled_pass(sender, now, **kwargs) -> dict:
    """Each scheduler pass: missing meetings, pending syncs and deletions, due attendance imports."""
    from .teams import scheduled_pass

    outcome = scheduled_pass(now)
    logger.info("Teams: %s", outcome)
    return outcome
