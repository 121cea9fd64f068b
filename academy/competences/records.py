"""Training records: every completed training of a person (Academy courses with a valid certificate,
external training) and their requirement statuses, for the person page and the exports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from academy.courses.models import CoursePage
from academy.network.models import Person
from certificates.models import Certificate

from .compliance import (
    DEFAULT_EXPIRING_DAYS,
    EXPIRING,
    MISSING,
    Period,
    RequirementStatus,
    RequirementStatuses,
    worst,
)
from .mandatory import ObligationStatus, ObligationStatuses
from .models import Competence, ExternalTraining


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
class TrainingRecord:
    person: Person
    entries: list[TrainingEntry]  # all of them, newest first
    period: Period | None
    requirements: list[RequirementStatus]
    obligations: list[ObligationStatus] = field(default_factory=list)  # mandatory training

    @property
    def obligations_to_act(self) -> list[ObligationStatus]:
        return [o for o in self.obligations if o.needs_action]

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
        return worst(r.status for r in self.requirements)

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

    A fixed number of queries whatever the number of people: related rows are loaded with
    subqueries on ``people`` and joined in Python. ``period`` only limits what
    ``TrainingRecord.hours`` and ``period_entries`` count; requirement status always looks at the
    whole history (a refresher done two years ago still counts).
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

    organisations = {p.organisation_id: p.organisation for p in people_list if p.organisation_id}
    statuses = RequirementStatuses.for_organisations(organisations.values(), today=today,
                                                     expiring_days=expiring_days)
    mandatory = ObligationStatuses({pk: o.chain for pk, o in organisations.items()}, person_ids, today=today)
    for person_id, course_id, _hours, last_date, _code in certificates:
        mandatory.add_certificate(person_id, course_id, last_date)

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

    for person_id, person_entries in entries.items():
        for entry in person_entries:
            statuses.add(person_id, entry.date, entry.course_id, entry.competence_ids)
    records: dict[int, TrainingRecord] = {}
    for person in people_list:
        person_entries = sorted(entries.get(person.pk, ()), key=lambda e: e.date, reverse=True)
        records[person.pk] = TrainingRecord(person, person_entries, period, statuses.for_person(
            person.pk, person.organisation_id, person.job_role),
            mandatory.for_person(person.pk, person.organisation_id, person.job_role))
    return records
