"""Course lifecycle signals, so registrations and Teams react without the page knowing them.

``session_rescheduled`` fires (after commit) when a saved session's start or end changes;
``session_cancelled`` when it is marked cancelled. Receivers: invitation updates, Teams meetings.
``course_checked`` asks the layers above what they find wrong with a course before it is saved
(``CoursePage.clean``): each receiver answers with a list of translated messages.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal, receiver
from wagtail.signals import page_published

session_rescheduled = Signal()  # kwargs: session
session_cancelled = Signal()  # kwargs: session
course_checked = Signal()  # kwargs: course; each receiver returns a list of messages (empty: no problem)


def announce(signal: Signal, session) -> None:
    transaction.on_commit(lambda: signal.send(sender=type(session), session=session))


@receiver(page_published, dispatch_uid="courses.refresh_schedule")
def refresh_course_schedule(sender, instance, **kwargs):
    from .models import CoursePage

    if isinstance(instance, CoursePage):
        instance.refresh_schedule()
