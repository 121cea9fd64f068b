"""What the registers say: per session, each learner's login and logout times and minutes; per plan,
each learner's planned and attended hours against the plan's minimum.

Built from a fixed number of queries whatever the number of learners (sessions, learners, minutes,
intervals, kept identities): the benchmark ``benchmarks/attendance_register.py`` checks it. The login and
logout times are shown as recorded (Teams' ``attendanceIntervals``, check-in/check-out), the platform's
log; the minutes come from ``academy.attendance.services.minutes_by_session`` (the sources combined, each
derived from intervals by ``academy.attendance.intervals``: clipped to the session, overlaps once).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from academy.attendance.services import intervals_by_person, minutes_by_session, minutes_from_intervals
from academy.courses.models import CoursePage, Session
from academy.network.models import Person
from academy.registrations.models import Registration

from ..models import CourseFileLearner, FundedPlan
from .learners import plan_learners


@dataclass(frozen=True)
class Learner:
    person_id: int
    full_name: str
    fiscal_code: str
    email: str
    organisation: str


@dataclass
class RegisterRow:
    learner: Learner
    spans: list[tuple[datetime.datetime, datetime.datetime | None]]  # as recorded, local time; None: still in
    minutes: int  # THE rule's minutes (clipped to the session, overlaps once, sources combined)

    @property
    def first_login(self) -> datetime.datetime | None:
        return self.spans[0][0] if self.spans else None

    @property
    def last_logout(self) -> datetime.datetime | None:
        return self.spans[-1][1] if self.spans else None


@dataclass
class SessionRegister:
    plan: FundedPlan | None
    course: CoursePage
    session: Session
    trainers: list[str]
    rows: list[RegisterRow] = field(default_factory=list)
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def in_person(self) -> bool:
        return self.session.is_in_person


@dataclass
class SummaryRow:
    learner: Learner
    planned_minutes: int
    attended_minutes: int
    minimum: int

    @property
    def percent(self) -> Decimal:
        if not self.planned_minutes:
            return Decimal(0)
        return (Decimal(self.attended_minutes * 100) / self.planned_minutes).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def reaches_minimum(self) -> bool:
        return reaches_minimum(self.attended_minutes, self.planned_minutes, self.minimum)

    @property
    def planned_hours(self) -> Decimal:
        return hours(self.planned_minutes)

    @property
    def attended_hours(self) -> Decimal:
        return hours(self.attended_minutes)


@dataclass
class PlanSummary:
    plan: FundedPlan
    sessions: list[Session]
    rows: list[SummaryRow]
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def reaching(self) -> int:
        return sum(1 for r in self.rows if r.reaches_minimum)


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


def reaches_minimum(attended: int, planned: int, minimum_percent: int) -> bool:
    """THE minimum-attendance rule of a plan: attended minutes at least ``minimum_percent`` of the
    planned ones (exactly the minimum reaches it; integer arithmetic, no rounding up)."""
    if planned <= 0:
        return False
    return attended * 100 >= minimum_percent * planned


# --- who is in a register -----------------------------------------------------------------------------


def plan_courses(plan: FundedPlan) -> list[CoursePage]:
    return [c.specific.canonical for c in plan.courses.all()]


def plan_sessions(plan: FundedPlan) -> list[Session]:
    """The counted sessions of every course of the plan, in time order (one query)."""
    ids = {c.pk for c in plan_courses(plan)}
    return list(Session.objects.filter(course_id__in=ids, cancelled=False).select_related("course")
                .order_by("starts_at", "pk"))


def plan_of(course: CoursePage) -> FundedPlan | None:
    return FundedPlan.objects.filter(courses=course.canonical).order_by("-starts_on").first()


def _learners(course_ids: list[int], session_ids: list[int], plan: FundedPlan | None, viewer) -> dict[int, Learner]:
    """Confirmed registrants of the courses plus anyone with attendance at the sessions, among those
    ``viewer`` may see (``plan_learners``), with the identity the course file kept for those who asked
    for erasure."""
    present = (Q(attendance__session_id__in=session_ids) | Q(attendance_intervals__session_id__in=session_ids))
    registered = Q(pk__in=Registration.objects.confirmed().filter(course_id__in=course_ids).values("person_id"))
    ids = set(plan_learners(plan, viewer).filter(registered | present).values_list("pk", flat=True))
    people = Person.objects.filter(pk__in=ids).select_related("organisation")
    kept = ({k.person_id: k for k in CourseFileLearner.objects.filter(plan=plan, person_id__in=ids)}
            if plan is not None else {})
    found: dict[int, Learner] = {}
    for p in people:
        k = kept.get(p.pk)
        if k is not None:
            found[p.pk] = Learner(p.pk, k.full_name, k.fiscal_code, "", k.organisation)  # no e-mail kept
        else:
            found[p.pk] = Learner(p.pk, p.full_name, p.fiscal_code, p.email,
                                  p.organisation.name if p.organisation else "")
    return found


def _sorted(learners: dict[int, Learner]) -> list[Learner]:
    return sorted(learners.values(), key=lambda a: (a.full_name.lower(), a.person_id))


# --- the registers ------------------------------------------------------------------------------------


def session_register(session: Session, plan: FundedPlan | None = None, *, viewer=None,
                     now: datetime.datetime | None = None) -> SessionRegister:
    """The register of one session: every learner ``viewer`` may see (``plan_learners``), their
    login/logout times and their minutes."""
    session = Session.objects.select_related("course").get(pk=session.pk)
    course = session.course.specific.canonical
    plan = plan if plan is not None else plan_of(course)
    learners = _learners([course.pk], [session.pk], plan, viewer)
    minutes = minutes_by_session(course, list(learners), sessions=[session])
    spans = intervals_by_person([session.pk], list(learners))
    register = SessionRegister(plan=plan, course=course, session=session,
                               trainers=[t.name for t in course.trainers.all()])
    for learner in _sorted(learners):
        intervals = spans.get((session.pk, learner.person_id), [])
        recorded = minutes.get(learner.person_id, {}).get(session.pk, 0)
        if now is not None and any(i.left_at is None for i in intervals):  # live: the open stay so far
            recorded = max(recorded, minutes_from_intervals([(i.joined_at, i.left_at) for i in intervals],
                                                            session.starts_at, session.ends_at, now=now))
        register.rows.append(RegisterRow(
            learner=learner, minutes=recorded,
            spans=[(timezone.localtime(i.joined_at), timezone.localtime(i.left_at) if i.left_at else None)
                   for i in intervals]))
    return register


def plan_summary(plan: FundedPlan, *, viewer=None) -> PlanSummary:
    """For reimbursement: each learner of the plan ``viewer`` may see (``plan_learners``), planned hours (the sessions of the courses they are
    registered for), attended hours, the percentage and whether they reach the plan's minimum."""
    sessions = plan_sessions(plan)
    course_ids = sorted({s.course_id for s in sessions} | {c.pk for c in plan_courses(plan)})
    learners = _learners(course_ids, [s.pk for s in sessions], plan, viewer)
    enrolled: dict[int, set[int]] = {}
    for person_id, course_id in Registration.objects.confirmed().filter(
            course_id__in=course_ids, person_id__in=list(learners)).values_list("person_id", "course_id"):
        enrolled.setdefault(person_id, set()).add(course_id)
    attended: dict[int, dict[int, int]] = {}
    by_course: dict[int, list[Session]] = {}
    for s in sessions:
        by_course.setdefault(s.course_id, []).append(s)
    for course in plan_courses(plan):
        for pid, per in minutes_by_session(course, list(learners), sessions=by_course.get(course.pk, [])).items():
            attended.setdefault(pid, {}).update(per)
    rows = []
    for learner in _sorted(learners):
        courses = enrolled.get(learner.person_id) or {s.course_id for s in sessions
                                                      if s.pk in attended.get(learner.person_id, {})}
        planned = sum(s.planned_minutes for s in sessions if s.course_id in courses)
        rows.append(SummaryRow(learner=learner, planned_minutes=planned,
                               attended_minutes=sum(attended.get(learner.person_id, {}).values()),
                               minimum=plan.minimum_attendance))
    return PlanSummary(plan=plan, sessions=sessions, rows=rows)


def live_register(session: Session, plan: FundedPlan, *, viewer,
                  now: datetime.datetime | None = None) -> SessionRegister:
    """The register of ``plan`` while the session runs (for the inspector): open intervals count up to now."""
    return session_register(session, plan, viewer=viewer, now=now or timezone.now())
