"""The course file of funded training: kept for ``ACADEMY_COURSE_FILE_YEARS`` (default 10) after the
plan ends, or the plan's own period, even when a learner asks for erasure (GDPR art. 17(3)(b): a legal
obligation towards the fund). The hold is registered with ``academy.core.privacy.register_hold`` (in
``academy.funding.privacy``, discovered with the other privacy modules); the
erasers of certificates and attendance ask ``held_until``. ``purge_course_files`` removes the files of
plans whose period has ended.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from academy.attendance.models import RawAttendanceReport
from academy.core import privacy

from .models import CourseFileLearner, FundedPlan

HOLD_KEY = "funded_plan"


def plan_hold(course) -> datetime.datetime | None:
    """End of the retention of ``course``'s file: the latest among the plans that contain it."""
    canonical = getattr(course, "canonical", course)
    ends = [plan.retained_until for plan in FundedPlan.objects.filter(courses=canonical,
                                                                      course_file_purged_at__isnull=True)]
    return max(ends, default=None)


def plans_past_retention(now: datetime.datetime | None = None) -> list[FundedPlan]:
    now = now or timezone.now()
    return [p for p in FundedPlan.objects.filter(course_file_purged_at__isnull=True) if p.retained_until < now]


def purge_course_files(now: datetime.datetime | None = None) -> int:
    """For every plan past its period: the raw Teams reports of its courses (unless another plan still
    holds them) are deleted, and the erasure of the learners who asked for it while the file was held is
    completed (the kept identity goes, every eraser runs again, now without the hold: certificates are
    revoked and their PDFs deleted). The plan is marked purged. Returns the number of plans purged."""
    now = now or timezone.now()
    purged = 0
    for plan in plans_past_retention(now):
        with transaction.atomic():
            FundedPlan.objects.filter(pk=plan.pk).update(course_file_purged_at=now)
            released = [c for c in plan.courses.all() if privacy.held_until(c, now) is None]
            RawAttendanceReport.objects.filter(session__course__in=released).delete()
            kept = list(CourseFileLearner.objects.filter(plan=plan).select_related("person"))
            CourseFileLearner.objects.filter(plan=plan).delete()
            for learner in kept:
                if not CourseFileLearner.objects.filter(person=learner.person).exists():  # no other plan holds them
                    privacy.erase_person(learner.person, now=now)
            purged += 1
    return purged
