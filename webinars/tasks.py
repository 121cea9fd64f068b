"""Background tasks (django-tasks) around Teams; each is a thin call into ``webinars.teams``.

Arguments are ids (JSON-serialisable); a task that finds nothing to do returns quietly, so a
duplicate enqueue is harmless.
"""

from __future__ import annotations

from django_tasks import task

from academy.courses.models import CoursePage, Session


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


@task()
def import_due_attendance_task() -> int:
    from .teams import import_due_attendance

    return len(import_due_attendance())


@task()
def teams_scheduled_pass_task() -> dict:
    """For the periodic scheduler: missing meetings, pending syncs, due attendance imports."""
    from .teams import scheduled_pass

    return scheduled_pass()
