"""Training records: every completed training of a person (Academy courses with a valid certificate,
training done elsewhere) and the engine's answer for them, for the person page and the exports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.obligations.models import Obligation
from academy.obligations.rules import DEFAULT_DUE_DAYS

from .compliance import Period
from .engine import PersonCompliance, ReadsCompliance, load_compliance
from .models import Competence


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
    obligation: str = ""  # the legal obligation an attestato done elsewhere counts towards
    delivery_mode: str = ""
    credits: Decimal | None = None  # ECM credits (not hours)
    attestato_reference: str = ""

    @property
    def is_external(self) -> bool:
        return self.kind == "external"


@dataclass
class TrainingRecord(ReadsCompliance):
    person: Person
    entries: list[TrainingEntry]  # all of them, newest first
    period: Period | None
    compliance: PersonCompliance  # the engine's answer for this person

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
    def competences(self) -> list[Competence]:
        seen: dict[int, Competence] = {}
        for entry in self.entries:
            for competence in entry.competences:
                seen.setdefault(competence.pk, competence)
        return sorted(seen.values(), key=lambda c: (c.area.sort_order, c.display_name))


def training_record(person: Person, period: Period | None = None, *, today: datetime.date | None = None,
                    due_days: int = DEFAULT_DUE_DAYS) -> TrainingRecord:
    """The training record of one person (see ``training_records``)."""
    records = training_records(Person.objects.filter(pk=person.pk), period, today=today, due_days=due_days)
    return records[person.pk]


def training_records(people: QuerySet[Person], period: Period | None = None, *,
                     today: datetime.date | None = None,
                     due_days: int = DEFAULT_DUE_DAYS) -> dict[int, TrainingRecord]:
    """Training records of many people, keyed by person id, in the order of ``people``.

    A fixed number of queries whatever the number of people: the engine (``load_compliance``) reads the
    certificates and training done elsewhere once; this adds course titles, areas, competences and the
    people themselves. ``period`` only limits what ``TrainingRecord.hours`` and ``period_entries`` count;
    status always looks at the whole history (a refresher done two years ago still counts).
    """
    answer = load_compliance(people, today=today, due_days=due_days)
    people_list = list(people.select_related("organisation"))
    course_ids = {row[1] for row in answer.certificates}
    titles = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "title"))
    course_areas: dict[int, list[int]] = defaultdict(list)
    for course_id, area_id in CoursePage.areas.through.objects.filter(
            coursepage_id__in=course_ids).values_list("coursepage_id", "thematicarea_id"):
        course_areas[course_id].append(area_id)
    competences = {c.pk: c for c in Competence.objects.select_related("area")}
    obligation_ids = {row[8] for row in answer.externals if row[8]}
    obligations = dict(Obligation.objects.filter(pk__in=obligation_ids).values_list("pk", "title")) \
        if obligation_ids else {}

    entries: dict[int, list[TrainingEntry]] = defaultdict(list)
    for person_id, course_id, hours, last_date, code in answer.certificates:
        ids = frozenset(answer.course_competences.get(course_id, ()))
        entries[person_id].append(TrainingEntry(
            kind="course", title=titles.get(course_id, ""), date=last_date, hours=hours,
            competence_ids=ids, area_ids=tuple(course_areas.get(course_id, ())), course_id=course_id,
            certificate_code=code, competences=[competences[i] for i in ids if i in competences],
        ))
    for (pk, person_id, title, provider, date, hours, equivalent, attachment, obligation_id, mode, credits,
         attestato, *_legal) in answer.externals:
        ids = frozenset(answer.external_competences.get(pk, ()))
        entries[person_id].append(TrainingEntry(
            kind="external", title=title, date=date, hours=hours, competence_ids=ids,
            course_id=equivalent, provider=provider, external_id=pk, has_attachment=bool(attachment),
            competences=[competences[i] for i in ids if i in competences],
            obligation=obligations.get(obligation_id, ""), delivery_mode=mode if obligation_id else "",
            credits=credits, attestato_reference=attestato,
        ))

    records: dict[int, TrainingRecord] = {}
    for person in people_list:
        person_entries = sorted(entries.get(person.pk, ()), key=lambda e: e.date, reverse=True)
        records[person.pk] = TrainingRecord(person, person_entries, period, answer.for_person(person.pk))
    return records
