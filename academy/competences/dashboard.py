"""The HR dashboard's figures over a set of people: hours per area, participation per organisation,
requirement status per person. Built from ``.values()`` tuples and dict lookups (no model
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
from academy.courses.models import CoursePage, ThematicArea
from academy.network.models import Organisation, Person
from academy.obligations.rules import DEFAULT_DUE_DAYS
from certificates.models import Certificate

from .compliance import (
    COMPLIANT,
    DEFAULT_EXPIRING_DAYS,
    EXPIRING,
    MISSING,
    Period,
    RequirementStatus,
    RequirementStatuses,
)
from .mandatory import (
    DUE,
    LAPSED,
    OVERDUE,
    ObligationStatus,
    ObligationStatuses,
    ObligationSummary,
    summarise,
)
from .models import ExternalTraining

ID_LIST_LIMIT = 1000  # people; above, queries use the people subquery instead of an id list



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
class StaffRow:
    """One person on the dashboard: what the people table, its status filter and the digest need,
    built from ``.values()`` rows (no model instances — a consortium has tens of thousands of staff).
    ``missing`` and ``expiring`` are the person's requirement statuses of that kind."""

    pk: int
    first_name: str
    last_name: str
    job_role: str
    organisation_id: int | None
    organisation_name: str
    hours: Decimal
    status: str
    missing: list[RequirementStatus]
    expiring: list[RequirementStatus]
    obligations: list[ObligationStatus] = field(default_factory=list)  # mandatory training, every status

    @property
    def obligations_to_act(self) -> list[ObligationStatus]:
        return [o for o in self.obligations if o.needs_action]

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
    expiring: int
    missing: int
    hours: Decimal
    target: int
    obligations: list[ObligationSummary] = field(default_factory=list)

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
        return [Bar(f.organisation.name, f.participation, f"{f.participation}%") for f in self.organisations]


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
                    expiring_days: int = DEFAULT_EXPIRING_DAYS, due_days: int = DEFAULT_DUE_DAYS) -> Dashboard:
    """Figures for the HR dashboard over ``people`` (already scoped by the caller).

    Hours per thematic area count a course's certified hours in each of its areas (a course in two
    areas shows in both bars); external training has its own bar. A participant is someone with
    attendance, a certificate or external training in the period; the rate is compared with each
    organisation's ``participation_target``. Requirement status comes from the same loader as
    ``training_records`` (``RequirementStatuses``: the whole history counts, not only the period).

    Cost: a fixed number of queries, and per person only dict lookups. People,
    certificates and external training are read as ``.values_list()`` tuples, the hours per area are
    summed by the database, organisations and requirements are loaded once. No ``TrainingRecord`` is
    built: the dashboard needs hours, status and the labels of what is missing or expiring, nothing else.
    """
    today = today or timezone.localdate()
    rows = list(people.values_list("pk", "first_name", "last_name", "job_role", "organisation_id"))
    # Related rows are filtered by the id list when it is short (an index probe per id; the planner
    # needs no statistics about the scope subquery), by the people subquery otherwise.
    person_ids = [r[0] for r in rows] if len(rows) <= ID_LIST_LIMIT else people.values("pk")

    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in={r[4] for r in rows if r[4]})
                     .with_chain().only("pk", "name", "parent_id", "participation_target")}
    statuses = RequirementStatuses.for_organisations(organisations.values(), today=today,
                                                     expiring_days=expiring_days)
    needs_competences = statuses.needs_competences
    mandatory = ObligationStatuses({o.pk: o.chain for o in organisations.values()}, person_ids, today=today,
                                   due_days=due_days)
    mandatory_courses = mandatory.course_ids

    # Training rows: certificates and external training, as tuples.
    # Valid certificates only; the status is tested in Python (and in the ``Sum`` filter below), not in the
    # WHERE clause: there SQLite's planner prefers the (unselective) status index to the person index and
    # reads every certificate of the network.
    valid = Certificate.Status.VALID
    certificates = [row[:4] for row in Certificate.objects.filter(person_id__in=person_ids).order_by()
                    .values_list("person_id", "course_id", "hours", "last_date", "status") if row[4] == valid]
    externals = list(ExternalTraining.objects.filter(person_id__in=person_ids)
                     .values_list("pk", "person_id", "date", "hours", "equivalent_course_id"))
    course_competences: dict[int, list[int]] = defaultdict(list)
    external_competences: dict[int, list[int]] = defaultdict(list)
    if needs_competences:
        for course_id, competence_id in CoursePage.competences.through.objects.filter(
                coursepage_id__in={c[1] for c in certificates}).values_list("coursepage_id", "competence_id"):
            course_competences[course_id].append(competence_id)
        if externals:
            for external_id, competence_id in ExternalTraining.competences.through.objects.filter(
                    externaltraining__person_id__in=person_ids).values_list("externaltraining_id",
                                                                            "competence_id"):
                external_competences[external_id].append(competence_id)

    period_hours: dict[int, Decimal] = defaultdict(Decimal)
    start, end = period.start, period.end
    for person_id, course_id, hours, day in certificates:
        statuses.add(person_id, day, course_id, course_competences.get(course_id, ()))
        if course_id in mandatory_courses:
            mandatory.add_certificate(person_id, course_id, day)
        if start <= day <= end:
            period_hours[person_id] += hours
    external_hours = Decimal(0)
    for pk, person_id, day, hours, equivalent in externals:
        statuses.add(person_id, day, equivalent, external_competences.get(pk, ()))
        if start <= day <= end:
            period_hours[person_id] += hours
            external_hours += hours
    in_period = [c for c in certificates if start <= c[3] <= end]
    trained = {c[0] for c in in_period} | {e[1] for e in externals if start <= e[2] <= end}
    # Same reasoning as above: probe by the id list when it is short.
    attended = participants_in(person_ids if isinstance(person_ids, list) else people, period)

    # Hours per area, from the certificate rows already read (a course in two areas counts in both).
    course_areas: dict[int, list[int]] = defaultdict(list)
    for course_id, area_id in CoursePage.areas.through.objects.filter(
            coursepage_id__in={c[1] for c in in_period}).values_list("coursepage_id", "thematicarea_id"):
        course_areas[course_id].append(area_id)
    area_hours: dict[int, Decimal] = defaultdict(Decimal)
    for _person_id, course_id, hours, _day in in_period:
        for area_id in course_areas.get(course_id, ()):
            area_hours[area_id] += hours
    areas = list(ThematicArea.objects.order_by("sort_order", "name").only("pk", "name", "name_en"))

    per_org: dict[int | None, OrganisationFigures] = {}
    totals = {COMPLIANT: 0, EXPIRING: 0, MISSING: 0}
    staff_rows: list[StaffRow] = []
    participants = 0
    zero = Decimal(0)
    for pk, first_name, last_name, job_role, org_id in rows:
        figures = per_org.get(org_id)
        if figures is None:
            organisation = organisations.get(org_id)
            figures = per_org[org_id] = OrganisationFigures(organisation)
        missing: list[RequirementStatus] = []
        expiring: list[RequirementStatus] = []
        for result in statuses.for_person(pk, org_id, job_role):
            if result.status == MISSING:
                missing.append(result)
            elif result.status == EXPIRING:
                expiring.append(result)
        obligations = mandatory.for_person(pk, org_id, job_role)
        acting = {o.status for o in obligations}
        status = (MISSING if missing or OVERDUE in acting or LAPSED in acting
                  else EXPIRING if expiring or DUE in acting else COMPLIANT)
        hours = period_hours.get(pk, zero)
        took_part = pk in trained or pk in attended
        figures.staff += 1
        figures.hours += hours
        figures.participants += took_part
        figures.compliant += status == COMPLIANT
        participants += took_part
        totals[status] += 1
        staff_rows.append(StaffRow(pk, first_name, last_name, job_role, org_id,
                                   figures.organisation.name if figures.organisation else "", hours, status,
                                   missing, expiring, obligations))
    bars = [Bar(a.display_name, float(area_hours.get(a.pk) or zero), format_hours(area_hours.get(a.pk) or zero))
            for a in areas]
    bars.append(Bar(_("External training"), float(external_hours), format_hours(external_hours)))
    organisations_figures = sorted((f for f in per_org.values() if f.organisation is not None),
                                   key=lambda f: f.organisation.name)
    staff = len(staff_rows)
    target = (round(sum(f.target * f.staff for f in organisations_figures) / staff) if staff else 80)
    return Dashboard(period, staff_rows, bars, organisations_figures, staff, participants, totals[COMPLIANT],
                     totals[EXPIRING], totals[MISSING], sum(period_hours.values(), zero), target,
                     summarise(r.obligations for r in staff_rows))

