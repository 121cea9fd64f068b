"""HR services: who an HR officer may see, training records, requirement status, dashboard figures.

Every HR view, export, import and the digest go through ``scope_for`` (organisations a user may see)
and the bulk ``training_records``; both run a fixed number of SQL queries whatever the number of
people, so a consortium officer with thousands of staff costs the same queries as a cooperative's.

Requirement status, per person and requirement:

* ``compliant`` — covered by a valid certificate or external training, and (if it must be renewed)
  not expiring within ``expiring_days`` (default 60);
* ``expiring`` — covered, but it expires within ``expiring_days`` (the expiry day included);
* ``missing`` — never covered, or expired.

Training completed on day D with a renewal of M months "expires on" D + M months (day clamped to
the month's end): it still counts on that day and no longer the day after.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.attendance.models import AttendanceRecord
from academy.courses.models import CoursePage, ThematicArea
from academy.network.models import HROfficer, Organisation, Person
from certificates.models import Certificate

from .models import Competence, ExternalTraining, Requirement

COMPLIANT, EXPIRING, MISSING = "compliant", "expiring", "missing"
DEFAULT_EXPIRING_DAYS = 60


# --- scope ------------------------------------------------------------------------------------------


def is_hr_user(user) -> bool:
    """Staff or an HR officer of at least one organisation."""
    if not user or not user.is_authenticated:
        return False
    return user.is_staff or HROfficer.objects.filter(user=user).exists()


def scope_for(user) -> QuerySet[Organisation]:
    """Organisations whose staff ``user`` may see: all for staff; for an HR officer, their
    organisation and, for a consortium, its members (and their members) — the same two levels as
    ``Organisation.descendant_ids()``, written as one lazy subquery so that callers filter in SQL
    and the number of queries does not depend on how many organisations or roles there are."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_staff or user.is_superuser:
        return Organisation.objects.all()
    roots = HROfficer.objects.filter(user=user).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk__in=roots) | Q(parent_id__in=roots) | Q(parent__parent_id__in=roots)
    )


def people_in_scope(user, organisation: Organisation | None = None) -> QuerySet[Person]:
    """People (not anonymised) employed by an organisation in the user's scope."""
    orgs = scope_for(user)
    if organisation is not None:
        orgs = orgs.filter(pk=organisation.pk)
    return Person.objects.filter(organisation__in=orgs, anonymised_at__isnull=True)


def person_in_scope(user, person_id: int) -> Person:
    """The person if ``user`` may see them, else 404 (not 403: outsiders learn nothing)."""
    person = people_in_scope(user).select_related("organisation").filter(pk=person_id).first()
    if person is None:
        raise Http404(_("No such person."))
    return person


# --- periods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A closed interval of days."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def month(cls, day: datetime.date) -> Period:
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=last))

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) \
                and self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- training records -------------------------------------------------------------------------------


@dataclass
class TrainingEntry:
    """One completed training: an Academy course (valid certificate) or external training."""

    kind: str  # "course" | "external"
    title: str
    date: datetime.date
    hours: Decimal
    competence_ids: frozenset[int] = frozenset()
    area_ids: tuple[int, ...] = ()
    course_id: int | None = None
    provider: str = ""
    certificate_code: str = ""
    external_id: int | None = None
    has_attachment: bool = False
    competences: list[Competence] = field(default_factory=list)

    @property
    def is_external(self) -> bool:
        return self.kind == "external"


@dataclass
class RequirementStatus:
    requirement: Requirement
    status: str
    completed_on: datetime.date | None = None
    expires_on: datetime.date | None = None

    @property
    def expired(self) -> bool:
        return self.status == MISSING and self.completed_on is not None


@dataclass
class TrainingRecord:
    person: Person
    entries: list[TrainingEntry]  # all of them, newest first
    period: Period | None
    requirements: list[RequirementStatus]

    @property
    def period_entries(self) -> list[TrainingEntry]:
        if self.period is None:
            return self.entries
        return [e for e in self.entries if e.date in self.period]

    @property
    def hours(self) -> Decimal:
        return sum((e.hours for e in self.period_entries), Decimal(0))

    @property
    def total_hours(self) -> Decimal:
        return sum((e.hours for e in self.entries), Decimal(0))

    @property
    def status(self) -> str:
        """The worst status among the person's requirements (compliant when none apply)."""
        statuses = {r.status for r in self.requirements}
        if MISSING in statuses:
            return MISSING
        if EXPIRING in statuses:
            return EXPIRING
        return COMPLIANT

    @property
    def missing(self) -> list[RequirementStatus]:
        return [r for r in self.requirements if r.status == MISSING]

    @property
    def expiring(self) -> list[RequirementStatus]:
        return [r for r in self.requirements if r.status == EXPIRING]

    @property
    def competences(self) -> list[Competence]:
        seen: dict[int, Competence] = {}
        for entry in self.entries:
            for competence in entry.competences:
                seen.setdefault(competence.pk, competence)
        return sorted(seen.values(), key=lambda c: (c.area.sort_order, c.display_name))


def training_record(person: Person, period: Period | None = None, *, today: datetime.date | None = None,
                    expiring_days: int = DEFAULT_EXPIRING_DAYS) -> TrainingRecord:
    """The training record of one person (see ``training_records``)."""
    records = training_records(Person.objects.filter(pk=person.pk), period, today=today,
                               expiring_days=expiring_days)
    return records[person.pk]


def training_records(people: QuerySet[Person], period: Period | None = None, *,
                     today: datetime.date | None = None,
                     expiring_days: int = DEFAULT_EXPIRING_DAYS) -> dict[int, TrainingRecord]:
    """Training records of many people, keyed by person id, in insertion order of ``people``.

    Always 9 queries, whatever the number of people: related rows are loaded with subqueries on
    ``people`` and joined in Python. ``period`` only limits what ``TrainingRecord.hours`` and
    ``period_entries`` count; requirement status always looks at the whole history (a refresher
    done two years ago still counts).
    """
    today = today or timezone.localdate()
    people_list = list(people.select_related("organisation__parent"))
    person_ids = people.values("pk")

    certificates = list(
        Certificate.objects.filter(person_id__in=person_ids, status=Certificate.Status.VALID)
        .values_list("person_id", "course_id", "hours", "last_date", "code")
    )
    course_ids = {row[1] for row in certificates}
    titles = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "title"))
    course_competences: dict[int, set[int]] = defaultdict(set)
    for course_id, competence_id in CoursePage.competences.through.objects.filter(
            coursepage_id__in=course_ids).values_list("coursepage_id", "competence_id"):
        course_competences[course_id].add(competence_id)
    course_areas: dict[int, list[int]] = defaultdict(list)
    for course_id, area_id in CoursePage.areas.through.objects.filter(
            coursepage_id__in=course_ids).values_list("coursepage_id", "thematicarea_id"):
        course_areas[course_id].append(area_id)

    externals = list(
        ExternalTraining.objects.filter(person_id__in=person_ids)
        .values_list("pk", "person_id", "title", "provider", "date", "hours", "equivalent_course_id",
                     "attachment")
    )
    external_competences: dict[int, set[int]] = defaultdict(set)
    for external_id, competence_id in ExternalTraining.competences.through.objects.filter(
            externaltraining__person_id__in=person_ids).values_list("externaltraining_id", "competence_id"):
        external_competences[external_id].add(competence_id)
    competences = {c.pk: c for c in Competence.objects.select_related("area")}

    org_ids = {p.organisation_id for p in people_list if p.organisation_id}
    requirements = list(
        Requirement.objects.filter(
            Q(organisation_id__in=org_ids) | Q(organisation__members__in=org_ids)
            | Q(organisation__members__members__in=org_ids)
        ).distinct().order_by("label", "pk")
    )
    requirements_by_org: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in requirements:
        requirements_by_org[requirement.organisation_id].append(requirement)

    entries: dict[int, list[TrainingEntry]] = defaultdict(list)
    for person_id, course_id, hours, last_date, code in certificates:
        ids = frozenset(course_competences.get(course_id, ()))
        entries[person_id].append(TrainingEntry(
            kind="course", title=titles.get(course_id, ""), date=last_date, hours=hours,
            competence_ids=ids, area_ids=tuple(course_areas.get(course_id, ())), course_id=course_id,
            certificate_code=code, competences=[competences[i] for i in ids if i in competences],
        ))
    for pk, person_id, title, provider, date, hours, equivalent, attachment in externals:
        ids = frozenset(external_competences.get(pk, ()))
        entries[person_id].append(TrainingEntry(
            kind="external", title=title, date=date, hours=hours, competence_ids=ids,
            course_id=equivalent, provider=provider, external_id=pk, has_attachment=bool(attachment),
            competences=[competences[i] for i in ids if i in competences],
        ))

    records: dict[int, TrainingRecord] = {}
    for person in people_list:
        person_entries = sorted(entries.get(person.pk, ()), key=lambda e: e.date, reverse=True)
        applicable = [r for org_id in _org_chain(person.organisation) for r in requirements_by_org.get(org_id, ())
                      if r.applies_to(person.job_role)]
        statuses = [requirement_status(r, person_entries, today, expiring_days) for r in applicable]
        records[person.pk] = TrainingRecord(person, person_entries, period, statuses)
    return records


def _org_chain(organisation: Organisation | None) -> list[int]:
    """The organisation, its consortium and that consortium's parent (requirements are inherited).
    ``organisation.parent`` is loaded by ``select_related`` so this costs no query."""
    if organisation is None:
        return []
    chain = [organisation.pk]
    if organisation.parent_id:
        chain.append(organisation.parent_id)
        if organisation.parent.parent_id:
            chain.append(organisation.parent.parent_id)
    return chain


def requirement_status(requirement: Requirement, entries: list[TrainingEntry], today: datetime.date,
                       expiring_days: int = DEFAULT_EXPIRING_DAYS) -> RequirementStatus:
    """Status of one requirement given a person's training entries (see module docstring)."""
    if requirement.course_id:
        covering = [e.date for e in entries if e.course_id == requirement.course_id and e.date <= today]
    else:
        covering = [e.date for e in entries if requirement.competence_id in e.competence_ids
                    and e.date <= today]
    if not covering:
        return RequirementStatus(requirement, MISSING)
    latest = max(covering)
    if requirement.renewal_months is None:
        return RequirementStatus(requirement, COMPLIANT, latest, None)
    expires_on = add_months(latest, requirement.renewal_months)
    if today > expires_on:
        status = MISSING
    elif today >= expires_on - datetime.timedelta(days=expiring_days):
        status = EXPIRING
    else:
        status = COMPLIANT
    return RequirementStatus(requirement, status, latest, expires_on)


# --- dashboard --------------------------------------------------------------------------------------


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


@dataclass
class Dashboard:
    period: Period
    records: dict[int, TrainingRecord]
    hours_by_area: list[Bar]
    organisations: list[OrganisationFigures]
    staff: int
    participants: int
    compliant: int
    expiring: int
    missing: int
    hours: Decimal
    target: int

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


def participants_in(people: QuerySet[Person], period: Period) -> set[int]:
    """People who attended at least one session in the period (with or without a certificate)."""
    start = _start_of(period.start)
    end = _start_of(period.end + datetime.timedelta(days=1))
    return set(
        AttendanceRecord.objects.filter(person_id__in=people.values("pk"), minutes__gt=0,
                                        session__starts_at__gte=start, session__starts_at__lt=end)
        .values_list("person_id", flat=True).distinct()
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=timezone.get_default_timezone())


def build_dashboard(people: QuerySet[Person], period: Period, *, today: datetime.date | None = None,
                    expiring_days: int = DEFAULT_EXPIRING_DAYS) -> Dashboard:
    """Figures for the HR dashboard over ``people`` (already scoped by the caller).

    Hours per thematic area count a course's certified hours in each of its areas (a course in two
    areas shows in both bars); external training has its own bar. A participant is someone with
    attendance, a certificate or external training in the period; the rate is compared with each
    organisation's ``participation_target``.
    """
    records = training_records(people, period, today=today, expiring_days=expiring_days)
    attended = participants_in(people, period)
    areas = list(ThematicArea.objects.order_by("sort_order", "name"))
    area_hours: dict[int, Decimal] = defaultdict(Decimal)
    external_hours = Decimal(0)
    per_org: dict[int, OrganisationFigures] = {}
    totals = {COMPLIANT: 0, EXPIRING: 0, MISSING: 0}
    participants = 0
    hours = Decimal(0)
    for record in records.values():
        person = record.person
        figures = per_org.get(person.organisation_id)
        if figures is None:
            figures = per_org[person.organisation_id] = OrganisationFigures(person.organisation)
        figures.staff += 1
        period_entries = record.period_entries
        for entry in period_entries:
            if entry.is_external:
                external_hours += entry.hours
            for area_id in entry.area_ids:
                area_hours[area_id] += entry.hours
        person_hours = sum((e.hours for e in period_entries), Decimal(0))
        figures.hours += person_hours
        hours += person_hours
        took_part = bool(period_entries) or person.pk in attended
        figures.participants += took_part
        participants += took_part
        status = record.status
        totals[status] += 1
        figures.compliant += status == COMPLIANT
    bars = [Bar(a.display_name, float(area_hours[a.pk]), _hours_text(area_hours[a.pk])) for a in areas]
    bars.append(Bar(_("External training"), float(external_hours), _hours_text(external_hours)))
    organisations = sorted(per_org.values(), key=lambda f: f.organisation.name)
    staff = len(records)
    target = (round(sum(f.target * f.staff for f in organisations) / staff) if staff else 80)
    return Dashboard(period, records, bars, organisations, staff, participants, totals[COMPLIANT],
                     totals[EXPIRING], totals[MISSING], hours, target)


def _hours_text(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


# --- monthly digest ---------------------------------------------------------------------------------


def send_hr_digests(today: datetime.date | None = None, *, expiring_days: int = DEFAULT_EXPIRING_DAYS) -> int:
    """Queue this month's digest for every HR officer: last month's training (hours, people) and the
    requirements expiring within ``expiring_days`` or missing. Exactly once per officer and month,
    through the outbox key ``hr-digest:{officer_id}:{YYYY-MM}`` — the scheduler may call this every
    minute. Returns how many digests were queued now."""
    from django.db import transaction
    from django.template.loader import render_to_string
    from django.utils import translation

    from academy.core.models import OutboxMessage
    from academy.core.outbox import queue_email

    today = today or timezone.localdate()
    month = f"{today:%Y-%m}"
    last_month = Period.month(today.replace(day=1) - datetime.timedelta(days=1))
    officers = list(HROfficer.objects.select_related("user", "organisation").exclude(user__email=""))
    done = set(OutboxMessage.objects.filter(key__in=[f"hr-digest:{o.pk}:{month}" for o in officers])
               .values_list("key", flat=True))
    languages = dict(Person.objects.filter(user_id__in=[o.user_id for o in officers])
                     .values_list("user_id", "preferred_language"))
    queued = 0
    for officer in officers:
        key = f"hr-digest:{officer.pk}:{month}"
        if key in done or not officer.user.is_active:
            continue
        people = Person.objects.filter(organisation_id__in=officer.organisation.descendant_ids(),
                                       anonymised_at__isnull=True).order_by("last_name", "first_name", "pk")
        with translation.override(languages.get(officer.user_id, "it")):
            board = build_dashboard(people, last_month, today=today, expiring_days=expiring_days)
            records = list(board.records.values())
            context = {
                "officer": officer, "organisation": officer.organisation, "board": board,
                "period": last_month, "expiring_days": expiring_days,
                "expiring": [(r.person, s) for r in records for s in r.expiring],
                "missing": [(r.person, s) for r in records for s in r.missing],
                "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("hr:dashboard"),
            }
            subject = _("Staff training in %(organisation)s: %(month)s") % {
                "organisation": officer.organisation.name, "month": f"{last_month.start:%m/%Y}"}
            body = render_to_string("emails/hr/digest.txt", context)
            html = render_to_string("emails/hr/digest.html", context)
        with transaction.atomic():
            queue_email(key, officer.user.email, subject, body, html_body=html)
        queued += 1
    return queued
