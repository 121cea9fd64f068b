"""A person's learning-test attempts and evaluation invitations are exported and erased with them.

Satisfaction answers (``Response``/``Answer``) have no person: there is nothing of theirs to export or
erase there, which is the point. Erasure deletes the attempts and invitations; a certificate already
issued keeps its own record of the outcome. Retention: attempts and invitations of courses that ended
more than ``ACADEMY["RETENTION_DAYS"]`` ago are purged by the periodic step (``purge_expired``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from academy.core import privacy

from .models import Invitation, TestAttempt


def export_evaluation(person) -> dict:
    return {
        "test_attempts": [
            {"course": str(a.course), "started_at": a.started_at, "submitted_at": a.submitted_at,
             "correct": a.correct, "total": a.total, "pass_mark": a.pass_mark, "passed": a.passed,
             "answers": a.answers}
            for a in TestAttempt.objects.filter(person=person).select_related("course")
        ],
        # Whether (not what) the person answered each questionnaire: answers are anonymous.
        "questionnaires": [
            {"course": str(i.course), "invited_at": i.invited_at, "reminded_at": i.reminded_at,
             "answered": i.answered}
            for i in Invitation.objects.filter(person=person).select_related("course")
        ],
    }


def erase_evaluation(person, *, by, now) -> None:
    TestAttempt.objects.filter(person=person).delete()
    Invitation.objects.filter(person=person).delete()


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete attempts and invitations of courses that ended longer ago than the retention period."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACADEMY["RETENTION_DAYS"])
    deleted, _ = TestAttempt.objects.filter(course__last_ends_at__lt=cutoff).delete()
    invitations, _ = Invitation.objects.filter(course__last_ends_at__lt=cutoff).delete()
    return deleted + invitations


privacy.register("evaluation", export=export_evaluation, erase=erase_evaluation, order=35, export_order=25)
