"""Receivers that turn course events into Teams work, always through a background task enqueued
after commit (the worker must see the committed session) and never failing the editor's action."""

from __future__ import annotations

import logging

from django.db import transaction

from academy.courses.models import CoursePage

logger = logging.getLogger(__name__)


def _enqueue(task, *args) -> None:
    def run() -> None:
        try:
            task.enqueue(*args)
        except Exception:  # the scheduler's periodic pass catches up
            logger.exception("Could not enqueue %s%r", task.name, args)

    transaction.on_commit(run)


def on_page_published(sender, instance, **kwargs) -> None:
    from .tasks import ensure_course_meetings_task

    if isinstance(instance, CoursePage):
        _enqueue(ensure_course_meetings_task, instance.pk)


def on_session_rescheduled(sender, session, **kwargs) -> None:
    from .tasks import import_attendance_task, sync_meeting_task

    sync_meeting_task.enqueue(session.pk)  # already after commit (announce())
    schedule_attendance_import(session, import_attendance_task)


def on_session_cancelled(sender, session, **kwargs) -> None:
    from .tasks import cancel_meeting_task

    cancel_meeting_task.enqueue(session.pk)


def schedule_attendance_import(session, task) -> None:
    """Defer the import to the session's end + 30 minutes when the task backend can; otherwise the
    scheduler's ``import_due_attendance`` pass does it."""
    from .teams import ATTENDANCE_DELAY

    if not task.get_backend().supports_defer:
        return
    try:
        task.using(run_after=session.ends_at + ATTENDANCE_DELAY).enqueue(session.pk)
    except Exception:
        logger.exception("Could not schedule the attendance import of session %s", session.pk)
