"""The HR dashboard's figures over a set of people: hours per area, participation per organisation, and
each person's obligations and requirements from the one engine (``engine.load_compliance``). Built from ``.values()`` tuples and dict lookups (no model
instances per person) in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.attendance.models import AttendanceRecord
from academy.core.formats import hours as format_hours
from academy.core.formats import percent
from academy.courses.models import CoursePage, ThematicArea
from academy.network.models import Organisation, Person
from academy.obligations.rules import DEFAULT_DUE_DAYS

from .compliance import Period
from .engine import (
    COMPLIANT,
    DUE,
    ID_LIST_LIMIT,
    LAPSED,
    OVERDUE,
    STATUSES,
    PersonCompliance,
    ReadsCompliance,
    load_compliance,
)
from .summary import ItemSummary, summarise

__all__ = ["ID_LIST_LIMIT", "Bar", "Dashboard", "OrganisationFigures", "StaffRow", "build_dashboard",
           "participants_in"]



@dataclass
class Bar:
    label: str
    value: float
    display: str = ""

    def width(self, maximum: float) -> float:
        return 0 if not maximum else round(100 * self.value / maximum, 1)


@dataclass
class OrganisationFigures:
    organisation: Organisation
    staff: int = 0
    participants: int = 0
    compliant: int = 0
    hours: Decimal = Decimal(0)

    @property
    def participation(self) -> float:
        return round(100 * self.participants / self.staff, 1) if self.staff else 0.0

    @property
    def compliant_share(self) -> float:
        return round(100 * self.compliant / self.staff, 1) if self.staff else 0.0

    @property
    def target(self) -> int:
        return self.organisation.participation_target

    @property
    def meets_target(self) -> bool:
        return self.participation >= self.target


@dataclass(slots=True)
class StaffRow(ReadsCompliance):
    """One person on the dashboard: what the people table, its status filter and the digest need, built
    from ``.values()`` rows (no model instances — a consortium has tens of thousands of staff); their
    obligations and requirements are the engine's answer (``compliance``)."""

    pk: int
    first_name: str
    last_name: str
    job_role: str
    organisation_id: int | None
    organisation_name: str
    hours: Decimal
    compliance: PersonCompliance

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class Dashboard:
    period: Period
    people: list[StaffRow]  # in the order of the ``people`` queryset
    hours_by_area: list[Bar]
    organisations: list[OrganisationFigures]
    staff: int
    participants: int
    compliant: int
    due: int
    lapsed: int
    overdue: int
    hours: Decimal
    target: int
    obligations: list[ItemSummary] = field(default_factory=list)  # people by status, per item
    due_days: int = DEFAULT_DUE_DAYS
    # people with at least one item due (whatever else they have), and with at least one lapsed or overdue:
    # the KPIs above the tables, so that they never say fewer than a row of the tables below
    with_due: int = 0
    with_to_act: int = 0

    @property
    def to_act(self) -> int:
        return self.with_to_act

    @property
    def compliant_share(self) -> float:
        return round(100 * self.compliant / self.staff, 1) if self.staff else 0.0

    @property
    def participation(self) -> float:
        return round(100 * self.participants / self.staff, 1) if self.staff else 0.0

    @property
    def max_area_hours(self) -> float:
        return max((b.value for b in self.hours_by_area), default=0)

    def participation_bars(self) -> list[Bar]:
        return [Bar(f.organisation.name, f.participation, percent(f.participation)) for f in self.organisations]


def participants_in(people: QuerySet[Person] | list[int], period: Period) -> set[int]:
    """People who attended at least one session in the period (with or without a certificate).

    For a short id list the attendance index is probed by person id. For the people subquery of a
    large scope it is written as ``people WHERE EXISTS (attendance ...)`` rather than ``attendance
    WHERE person IN (people)``: PostgreSQL then probes the attendance index once per person instead
    of joining every session's attendance to the scope subquery."""
    start = _start_of(period.start)
    end = _start_of(period.end + datetime.timedelta(days=1))
    in_period = Q(minutes__gt=0, session__starts_at__gte=start, session__starts_at__lt=end)
    if isinstance(people, list):
        return set(AttendanceRecord.objects.filter(in_period, person_id__in=people).order_by()
                   .values_list("person_id", flat=True).distinct())
    attended = AttendanceRecord.objects.filter(in_period, person_id=OuterRef("pk"))
    return set(people.order_by().filter(Exists(attended)).values_list("pk", flat=True))


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=timezone.get_default_timezone())


def build_dashboard(people: QuerySet[Person], period: Period, *, today: datetime.date | None = None,
                    due_days: int = DEFAULT_DUE_DAYS) -> Dashboard:
    """Figures for the HR dashboard over ``people`` (already scoped by the caller).

    Hours per thematic area count a course's certified hours in each of its areas (a course in two
    areas shows in both bars); training done elsewhere has its own bar (its hours, never its ECM
    credits). A participant is someone with attendance, a certificate or external training in the
    period; the rate is compared with each organisation's ``participation_target``. Status comes from the
    one engine (``load_compliance``: the whole history counts, not only the period), whose rows are
    reused here, so the cost stays a fixed number of queries and per person only dict lookups.
    """
    today = today or timezone.localdate()
    answer = load_compliance(people, today=today, due_days=due_days)
    rows, organisations = answer.rows, answer.organisations
    person_ids = [r[0] for r in rows] if len(rows) <= ID_LIST_LIMIT else people

    period_hours: dict[int, Decimal] = defaultdict(Decimal)
    start, end = period.start, period.end
    in_period = [c for c in answer.certificates if start <= c[3] <= end]
    for person_id, _course_id, hours, _day, _code in in_period:
        period_hours[person_id] += hours
    external_hours = Decimal(0)
    trained = {c[0] for c in in_period}
    for external in answer.externals:
        person_id, day, hours = external[1], external[4], external[5]
        if start <= day <= end:
            period_hours[person_id] += hours
            external_hours += hours
            trained.add(person_id)
    # Same reasoning as in the engine: probe by the id list when it is short.
    attended = participants_in(person_ids, period)

    # Hours per area, from the certificate rows already read (a course in two areas counts in both).
    course_areas: dict[int, list[int]] = defaultdict(list)
    for course_id, area_id in CoursePage.areas.through.objects.filter(
            coursepage_id__in={c[1] for c in in_period}).values_list("coursepage_id", "thematicarea_id"):
        course_areas[course_id].append(area_id)
    area_hours: dict[int, Decimal] = defaultdict(Decimal)
    for _person_id, course_id, hours, _day, _code in in_period:
        for area_id in course_areas.get(course_id, ()):
            area_hours[area_id] += hours
    areas = list(ThematicArea.objects.order_by("sort_order", "name").only("pk", "name", "name_en"))

    per_org: dict[int | None, OrganisationFigures] = {}
    totals = dict.fromkeys(STATUSES, 0)
    staff_rows: list[StaffRow] = []
    participants = with_due = with_to_act = 0
    zero = Decimal(0)
    for pk, first_name, last_name, job_role, org_id in rows:
        figures = per_org.get(org_id)
        if figures is None:
            figures = per_org[org_id] = OrganisationFigures(organisations.get(org_id))
        compliance = answer.for_person(pk)
        status = compliance.status
        hours = period_hours.get(pk, zero)
        took_part = pk in trained or pk in attended
        figures.staff += 1
        figures.hours += hours
        figures.participants += took_part
        figures.compliant += status == COMPLIANT
        participants += took_part
        totals[status] += 1
        kinds = {i.status for i in compliance.items}
        with_due += DUE in kinds
        with_to_act += bool(kinds & {LAPSED, OVERDUE})
        staff_rows.append(StaffRow(pk, first_name, last_name, job_role, org_id,
                                   figures.organisation.name if figures.organisation else "", hours, compliance))
    bars = [Bar(a.display_name, float(area_hours.get(a.pk) or zero), format_hours(area_hours.get(a.pk) or zero))
            for a in areas]
    bars.append(Bar(_("External training"), float(external_hours), format_hours(external_hours)))
    organisations_figures = sorted((f for f in per_org.values() if f.organisation is not None),
                                   key=lambda f: f.organisation.name)
    staff = len(staff_rows)
    target = (round(sum(f.target * f.staff for f in organisations_figures) / staff) if staff else 80)
    return Dashboard(period, staff_rows, bars, organisations_figures, staff, participants, totals[COMPLIANT],
                     totals[DUE], totals[LAPSED], totals[OVERDUE], sum(period_hours.values(), zero), target,
                     summarise(r.compliance.items for r in staff_rows), due_days, with_due, with_to_act)
