"""The one compliance engine: for a set of people at a date, each person's status per legal obligation and
per requirement of their organisation, in one vocabulary, read by every place that shows compliance (the
HR dashboard, person page and training record, the XLSX and CSV exports, the monthly digest, My Academy).

One status vocabulary, that of ``academy.obligations.rules``:

* ``compliant``; ``due`` — covered, but the deadline falls within ``due_days`` (the deadline day included);
* ``lapsed`` — was covered, the deadline has passed; ``overdue`` — never covered.

A requirement's "expiring" is ``due``, "expired" is ``lapsed``, "never done" is ``overdue``; its deadline
is the expiry day (``rules.add_months``, the one expiry arithmetic). An item also says whether the person
is **planned**: registered (confirmed) for a course that satisfies it whose attestato has not arrived yet.

Cost: a fixed number of queries whatever the number of people — people, organisations with their chains,
requirements, the obligations' catalogue side (``mandatory.ObligationStatuses``), valid certificates,
training done elsewhere (one table, ``ExternalTraining``) and its competences, course competences,
registrations that plan a satisfying course. Per person only dict lookups and one ``rules.evaluate`` per
applicable obligation with training.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from academy.courses.models import CoursePage
from academy.network.models import Organisation, Person
from academy.obligations.rules import COMPLIANT, DEFAULT_DUE_DAYS, DUE, LAPSED, OVERDUE, STATUS_ORDER
from academy.registrations.models import Registration
from certificates.models import Certificate

from .compliance import EXPIRING, MISSING, RequirementStatus, RequirementStatuses
from .mandatory import ObligationStatus, ObligationStatuses
from .models import ExternalTraining

__all__ = ["COMPLIANT", "DUE", "LAPSED", "OVERDUE", "STATUSES", "Compliance", "Item", "PersonCompliance",
           "load_compliance", "worst"]

STATUSES = (OVERDUE, LAPSED, DUE, COMPLIANT)  # worst first
ID_LIST_LIMIT = 1000  # people; above, related rows are filtered by the people subquery
PLANNED_GRACE_DAYS = 60  # a course that ended this long ago without an attestato no longer counts as planned
OBLIGATION, REQUIREMENT = "obligation", "requirement"
HOURS, CREDITS = "hours", "credits"


def worst(statuses) -> str:
    return max(statuses, key=STATUS_ORDER.__getitem__, default=COMPLIANT)


@dataclass(slots=True)
class Item:
    """One obligation or requirement of one person: what every screen and export shows."""

    kind: str  # OBLIGATION | REQUIREMENT
    pk: int
    title: str
    status: str
    deadline: datetime.date | None
    last_done: datetime.date | None
    missing: Decimal | None  # hours or credits still missing (None for a requirement: it has no hours)
    unit: str  # HOURS | CREDITS | "" (requirement)
    reference: str  # the legal reference of an obligation
    result: ObligationStatus | RequirementStatus
    planned: str = ""  # title of the course the person is registered for that satisfies this item
    sort_key: tuple = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def needs_action(self) -> bool:
        return self.status != COMPLIANT

    @property
    def is_obligation(self) -> bool:
        return self.kind == OBLIGATION

    @property
    def obligation(self):
        """The ``Obligation`` of an obligation item (None for a requirement)."""
        return getattr(self.result, "obligation", None)

    @property
    def done(self) -> Decimal | None:
        return getattr(self.result, "hours_done", None)

    @property
    def verdicts(self) -> tuple:
        """Which trainings counted and which did not, and why (as the rule reports them, if it does)."""
        return tuple(getattr(self.result, "verdicts", ()) or ())


@dataclass(slots=True)
class PersonCompliance:
    items: list[Item] = field(default_factory=list)  # obligations (catalogue order), then requirements

    @property
    def status(self) -> str:
        return worst(i.status for i in self.items)

    @property
    def obligations(self) -> list[Item]:
        return [i for i in self.items if i.kind == OBLIGATION]

    @property
    def requirements(self) -> list[Item]:
        return [i for i in self.items if i.kind == REQUIREMENT]

    @property
    def to_act(self) -> list[Item]:
        return [i for i in self.items if i.needs_action]

    @property
    def hours_missing(self) -> Decimal:
        """Hours still missing over the obligations that need action (credits are not hours)."""
        return sum((i.missing for i in self.items if i.needs_action and i.unit == HOURS and i.missing),
                   Decimal(0))

    @property
    def credits_missing(self) -> Decimal:
        return sum((i.missing for i in self.items if i.needs_action and i.unit == CREDITS and i.missing),
                   Decimal(0))


def _requirement_item(result: RequirementStatus) -> Item:
    requirement = result.requirement
    if result.status == EXPIRING:
        status = DUE
    elif result.status == MISSING:
        status = LAPSED if result.completed_on else OVERDUE
    else:
        status = COMPLIANT
    return Item(REQUIREMENT, requirement.pk, requirement.label, status, result.expires_on, result.completed_on,
                None, "", "", result, sort_key=(1, requirement.label))


def _obligation_item(result: ObligationStatus) -> Item:
    obligation = result.obligation
    credits = obligation.is_ecm
    return Item(OBLIGATION, obligation.pk, obligation.localized_title, result.status, result.due_on,
                result.qualified_on, result.hours_missing, CREDITS if credits else HOURS,
                obligation.legal_reference, result, sort_key=(0, obligation.sort_order, obligation.title))


class ReadsCompliance:
    """The engine's answer read through an object that carries it as ``compliance`` (a dashboard row, a
    training record), so each reads the same properties."""

    __slots__ = ()
    compliance: PersonCompliance

    @property
    def status(self) -> str:
        return self.compliance.status

    @property
    def items(self) -> list[Item]:
        return self.compliance.items

    @property
    def obligations(self) -> list[Item]:
        return self.compliance.obligations

    @property
    def requirements(self) -> list[Item]:
        return self.compliance.requirements

    @property
    def to_act(self) -> list[Item]:
        return self.compliance.to_act


class Compliance:
    """The answer for a set of people (``load_compliance``). Keeps the rows it read so that the dashboard
    and the training records build on them without reading them again."""

    def __init__(self, *, today: datetime.date, due_days: int, rows, organisations, requirements,
                 mandatory, certificates, externals, course_competences, external_competences, planned):
        self.today, self.due_days = today, due_days
        self.rows = rows  # (pk, first_name, last_name, job_role, organisation_id), in the order asked
        self.organisations = organisations
        self.certificates = certificates  # (person_id, course_id, hours, last_date, code), valid only
        self.externals = externals  # ExternalTraining rows as tuples (see ``EXTERNAL_FIELDS``)
        self.course_competences = course_competences
        self.external_competences = external_competences
        self._requirements, self._mandatory, self._planned = requirements, mandatory, planned
        self._cache: dict[int, PersonCompliance] = {}
        self._where = {pk: (org_id, job_role) for pk, _f, _l, job_role, org_id in rows}

    def for_person(self, person_id: int) -> PersonCompliance:
        found = self._cache.get(person_id)
        if found is None:
            org_id, job_role = self._where.get(person_id, (None, ""))
            items = [_obligation_item(r) for r in self._mandatory.for_person(person_id, org_id, job_role)]
            items += [_requirement_item(r) for r in self._requirements.for_person(person_id, org_id, job_role)]
            for item in items:
                item.planned = self._planned.get((person_id, item.key), "")
            items.sort(key=lambda i: i.sort_key)
            found = self._cache[person_id] = PersonCompliance(items)
        return found


EXTERNAL_FIELDS = ("pk", "person_id", "title", "provider", "date", "hours", "equivalent_course_id", "attachment",
                   "obligation_id", "delivery_mode", "credits", "attestato_reference", "legal_frame",
                   "training_kind", "module")


def load_compliance(people: QuerySet[Person], *, today: datetime.date | None = None,
                    due_days: int = DEFAULT_DUE_DAYS) -> Compliance:
    """Everyone in ``people`` (scoped and ordered by the caller): their items at ``today``."""
    today = today or timezone.localdate()
    rows = list(people.values_list("pk", "first_name", "last_name", "job_role", "organisation_id"))
    # Related rows are filtered by the id list when it is short (an index probe per id; the planner needs
    # no statistics about the scope subquery), by the people subquery otherwise.
    person_ids = [r[0] for r in rows] if len(rows) <= ID_LIST_LIMIT else people.order_by().values("pk")
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in={r[4] for r in rows if r[4]})
                     .with_chain().only("pk", "name", "parent_id", "participation_target")}
    chains = {o.pk: o.chain for o in organisations.values()}
    requirements = RequirementStatuses(chains, today=today, expiring_days=due_days)
    mandatory = ObligationStatuses(chains, person_ids, today=today, due_days=due_days)

    # Valid certificates only; the status is tested in Python, not in the WHERE clause: there SQLite's
    # planner prefers the (unselective) status index to the person index and reads every certificate.
    valid = Certificate.Status.VALID
    certificates = [row[:5] for row in Certificate.objects.filter(person_id__in=person_ids).order_by()
                    .values_list("person_id", "course_id", "hours", "last_date", "code", "status")
                    if row[5] == valid]
    externals = list(ExternalTraining.objects.filter(person_id__in=person_ids).order_by()
                     .values_list(*EXTERNAL_FIELDS))
    course_competences: dict[int, list[int]] = defaultdict(list)
    for course_id, competence_id in CoursePage.competences.through.objects.filter(
            coursepage_id__in={c[1] for c in certificates}).values_list("coursepage_id", "competence_id"):
        course_competences[course_id].append(competence_id)
    external_competences: dict[int, list[int]] = defaultdict(list)
    for external_id, competence_id in ExternalTraining.competences.through.objects.filter(
            externaltraining__person_id__in=person_ids).values_list("externaltraining_id", "competence_id"):
        external_competences[external_id].append(competence_id)

    for person_id, course_id, _hours, day, _code in certificates:
        requirements.add(person_id, day, course_id, course_competences.get(course_id, ()))
        mandatory.add_certificate(person_id, course_id, day)
    for (pk, person_id, title, _p, day, hours, equivalent, _a, obligation_id, mode, credits, attestato, frame, kind,
         module) in externals:
        requirements.add(person_id, day, equivalent, external_competences.get(pk, ()))
        mandatory.add_external(person_id, day, hours, mode, obligation_id, credits,
                               source=f"{title} ({attestato})" if attestato else title, frame=frame, kind=kind,
                               module=module)

    planned = _planned(person_ids, today, mandatory, requirements, {(c[0], c[1]) for c in certificates})
    return Compliance(today=today, due_days=due_days, rows=rows, organisations=organisations,
                      requirements=requirements, mandatory=mandatory, certificates=certificates,
                      externals=externals, course_competences=course_competences,
                      external_competences=external_competences, planned=planned)


def _planned(person_ids, today: datetime.date, mandatory: ObligationStatuses, requirements: RequirementStatuses,
             certified: set[tuple[int, int]]) -> dict[tuple[int, str], str]:
    """(person, item key) → title of a course the person is confirmed on that satisfies the item and whose
    attestato has not arrived (the course is ahead, or ended less than ``PLANNED_GRACE_DAYS`` ago)."""
    by_course: dict[int, list[str]] = defaultdict(list)
    for course_id, modules in mandatory.modules.items():
        by_course[course_id].extend(f"{OBLIGATION}:{obligation_id}" for obligation_id, _h, _m in modules)
    for course_id in mandatory.ecm_courses:
        by_course[course_id].extend(f"{OBLIGATION}:{pk}" for pk in mandatory.ecm_ids)
    for requirement in requirements.course_requirements():
        by_course[requirement.course_id].append(f"{REQUIREMENT}:{requirement.pk}")
    if not by_course:
        return {}
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=PLANNED_GRACE_DAYS),
                                                          datetime.time.min))
    found: dict[tuple[int, str], str] = {}
    for person_id, course_id, title in Registration.objects.filter(
            person_id__in=person_ids, course_id__in=list(by_course), status=Registration.Status.CONFIRMED,
            course__last_ends_at__gte=since).order_by("course__first_starts_at").values_list(
            "person_id", "course_id", "course__title"):
        if (person_id, course_id) in certified:
            continue
        for key in by_course[course_id]:
            found.setdefault((person_id, key), title)
    return found


def status_label(status: str) -> str:
    """The one wording of a status, on every screen and export."""
    from django.utils.translation import gettext as _

    return {COMPLIANT: _("Compliant"), DUE: _("Due"), LAPSED: _("Lapsed"), OVERDUE: _("Overdue")}[status]


def item_text(item: Item) -> str:
    """One item as a sentence: "Formazione preposti: due by 10/01/2027, 6 h missing (planned: ...)"."""
    from django.utils.translation import gettext as _

    from academy.core.formats import hours as format_hours

    values = {"title": item.title, "hours": format_hours(item.missing or 0),
              "date": f"{item.deadline:%d/%m/%Y}" if item.deadline else ""}
    if item.unit == CREDITS:
        if item.status == DUE:
            text = _("%(title)s: %(hours)s credits missing by %(date)s") % values
        else:
            text = _("%(title)s: %(done)s of %(required)s credits by %(date)s") % {
                **values, "done": format_hours(item.result.hours_done),
                "required": format_hours(item.result.hours_required)}
    elif item.unit == HOURS:
        text = {OVERDUE: _("%(title)s: overdue, %(hours)s h missing"),
                LAPSED: _("%(title)s: lapsed on %(date)s, %(hours)s h missing"),
                DUE: _("%(title)s: due by %(date)s, %(hours)s h missing"),
                COMPLIANT: _("%(title)s: compliant")}[item.status] % values
    else:
        text = {OVERDUE: _("%(title)s: never done"), LAPSED: _("%(title)s: lapsed on %(date)s"),
                DUE: _("%(title)s: due by %(date)s"), COMPLIANT: _("%(title)s: compliant")}[item.status] % values
    if item.planned and item.needs_action:
        text += " " + _("(planned: %(course)s)") % {"course": item.planned}
    return text


def person_compliance(person: Person, *, today: datetime.date | None = None,
                      due_days: int = DEFAULT_DUE_DAYS) -> PersonCompliance:
    """One person's answer (My Academy): the same loader as the dashboard, over a one-person set."""
    return load_compliance(Person.objects.filter(pk=person.pk), today=today, due_days=due_days).for_person(person.pk)
