"""Receivers that turn course events into Teams work, always through a background task enqueued
after commit (the worker must see the committed session) and never failing the editor's action.

With django-tasks' immediate backend (the embedded default) an "enqueued" task would run inside the
editor's request and make it wait for Graph. There, Graph work is left to the scheduler's periodic
Teams pass instead, which finds it in the database (sessions without a meeting, meetings behind
their session's SEQUENCE, meetings of cancelled sessions): a durable queue that survives a restart,
unlike a thread, at the cost of waiting for the next pass. The dry-run backend makes no network call,
so it still runs at once.

Every receiver is connected here with ``@receiver(..., dispatch_uid=...)``; ``apps.ready`` only imports
this module. The Teams integration also answers the registrations layer's questions: the personal join
link of a session (``join_url_wanted``) and whether it announces a session's move itself
(``move_announced``)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from academy.courses.models import CoursePage
from academy.courses.signals import session_cancelled, session_rescheduled
from academy.registrations.signals import join_url_wanted, move_announced

from . import teams
from .models import TeamsAccount

logger = logging.getLogger(__name__)


def _left_to_scheduler(task) -> bool:
    """True when enqueuing would run Graph calls in the current request (immediate task backend)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from .backends import backend_name

    return backend_name() != "dry-run" and isinstance(task.get_backend(), ImmediateBackend)


def _dispatch(task, *args) -> None:
    if _left_to_scheduler(task):
        logger.info("%s%r left to the scheduler's Teams pass (immediate task backend)", task.name, args)
        return
    try:
        task.enqueue(*args)
    except Exception:  # the scheduler's periodic pass catches up
        logger.exception("Could not enqueue %s%r", task.name, args)


def _enqueue(task, *args) -> None:
    transaction.on_commit(lambda: _dispatch(task, *args))


@receiver(page_published, dispatch_uid="webinars.page_published")
def on_page_published(sender, instance, **kwargs) -> None:
    from .tasks import ensure_course_meetings_task

    if isinstance(instance, CoursePage):
        _enqueue(ensure_course_meetings_task, instance.pk)


@receiver(session_rescheduled, dispatch_uid="webinars.session_rescheduled")
def on_session_rescheduled(sender, session, **kwargs) -> None:
    from .tasks import import_attendance_task, sync_meeting_task

    _dispatch(sync_meeting_task, session.pk)  # already after commit (announce())
    schedule_attendance_import(session, import_attendance_task)


@receiver(session_cancelled, dispatch_uid="webinars.session_cancelled")
def on_session_cancelled(sender, session, **kwargs) -> None:
    from .tasks import cancel_meeting_task

    _dispatch(cancel_meeting_task, session.pk)


@receiver(join_url_wanted, dispatch_uid="webinars.join_url")
def join_url(sender, session, registration, **kwargs) -> str:
    """Personal join links in the registrants' invitations (and nowhere else)."""
    return teams.join_url_for(session, registration)


@receiver(move_announced, dispatch_uid="webinars.move_announced")
def announces_move(sender, session, **kwargs) -> bool:
    """The "session moved" e-mail goes once the meeting it links to is moved (or re-created)."""
    return teams.announces_move(session)


@receiver(post_save, sender=TeamsAccount, dispatch_uid="webinars.hosts_saved")
@receiver(post_delete, sender=TeamsAccount, dispatch_uid="webinars.hosts_deleted")
def hosts_changed(sender, instance, **kwargs) -> None:
    """A trainer's Teams account added or removed: their meetings are re-checked at the next pass."""
    teams.hosts.hosts_changed(sender, instance)


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
