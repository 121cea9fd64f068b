"""Funded training's personal data.

* Erasure of a learner of a plan whose course file is held (``retention``): before the person is
  anonymised (order 900 < the person's 1000), the identity the registers must show (name, codice
  fiscale, organisation: what the privacy notice lists, no e-mail) is kept in ``CourseFileLearner`` for
  each plan the person is a learner of, so the register stays intact while everything else is pseudonymised. The purge deletes it when the period ends.
* An inspector's account is not a person; the access log keeps the user id only.
"""

from __future__ import annotations

from academy.core import privacy
from academy.registrations.models import Registration

from . import retention
from .models import CourseFileLearner, FundedPlan
from .services.learners import plan_learners


def plans_of(person) -> list[FundedPlan]:
    """The held plans ``person`` is a learner of: a course of the plan, and one of its learners
    (``plan_learners``; another cooperative's plan sharing the course keeps nothing of them)."""
    course_ids = set(Registration.objects.filter(person=person).values_list("course_id", flat=True))
    course_ids |= set(person.attendance.values_list("session__course_id", flat=True))
    plans = FundedPlan.objects.filter(courses__in=course_ids, course_file_purged_at__isnull=True).distinct()
    return [plan for plan in plans if plan_learners(plan).filter(pk=person.pk).exists()]


def export_course_files(person) -> list[dict]:
    return [{"plan": p.plan_code, "title": p.title, "fund": p.get_fund_display(),
             "kept_until": p.retained_until.date()} for p in plans_of(person)]


def keep_register_identity(person, *, by, now) -> None:
    for plan in plans_of(person):
        if plan.retained_until <= now:
            continue
        CourseFileLearner.objects.get_or_create(plan=plan, person=person, defaults={
            "full_name": person.full_name, "fiscal_code": person.fiscal_code or "",
            "organisation": person.organisation.name if person.organisation else ""})


privacy.register("funded_course_files", export=export_course_files, erase=keep_register_identity, order=900,
                 export_order=22)  # beside the attendance it keeps
privacy.register_hold(retention.HOLD_KEY, retention.plan_hold)
