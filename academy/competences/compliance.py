"""Requirement status, per person and requirement: the requirements' half of the one engine
(``academy.competences.engine``, which maps these words onto the one status vocabulary).

* ``compliant`` — covered by a valid certificate or external training, and (if it must be renewed)
  not expiring within ``expiring_days`` (default 60);
* ``expiring`` — covered, but it expires within ``expiring_days`` (the expiry day included);
* ``missing`` — never covered, or expired.

Training completed on day D with a renewal of M months "expires on" D + M months (day clamped to
the month's end, ``academy.obligations.rules.add_months``: the one expiry arithmetic): it still counts on
that day and no longer the day after.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from academy.network.models import Organisation
from academy.obligations.rules import add_months

from .models import Requirement

COMPLIANT, EXPIRING, MISSING = "compliant", "expiring", "missing"
DEFAULT_EXPIRING_DAYS = 60


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


@dataclass
class RequirementStatus:
    requirement: Requirement
    status: str
    completed_on: datetime.date | None = None
    expires_on: datetime.date | None = None

    @property
    def expired(self) -> bool:
        return self.status == MISSING and self.completed_on is not None


def status_from_latest(requirement: Requirement, latest: datetime.date | None, today: datetime.date,
                       expiring_days: int = DEFAULT_EXPIRING_DAYS) -> RequirementStatus:
    """The status given the latest day (not after ``today``) the requirement was covered, if ever."""
    if latest is None:
        return RequirementStatus(requirement, MISSING)
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


def worst(statuses: Iterable[str]) -> str:
    """The worst of some statuses (compliant when there are none)."""
    statuses = set(statuses)
    return MISSING if MISSING in statuses else EXPIRING if EXPIRING in statuses else COMPLIANT


class RequirementStatuses:
    """The one requirement-status loader: give it the organisations' chains, feed it every training
    row (``add``), then ask for each person's statuses (``for_person``).

    One query loads the requirements of the organisations and the consortia above them. Coverage is
    kept per person as the latest day each course and competence was covered, so a status is two dict
    lookups; the requirements that apply are computed once per (chain, job role) and statuses are
    memoised per (requirement, latest day), since the dashboard does this for tens of thousands of
    people.
    """

    def __init__(self, chains: dict[int, tuple[int, ...]], *, today: datetime.date,
                 expiring_days: int = DEFAULT_EXPIRING_DAYS):
        self.chains, self.today, self.expiring_days = chains, today, expiring_days
        self.by_org: dict[int, list[Requirement]] = defaultdict(list)
        org_ids = {i for chain in chains.values() for i in chain}
        if org_ids:
            for requirement in Requirement.objects.filter(organisation_id__in=org_ids).order_by("label", "pk"):
                self.by_org[requirement.organisation_id].append(requirement)
        self._course: dict[tuple[int, int], datetime.date] = {}
        self._competence: dict[tuple[int, int], datetime.date] = {}
        self._applicable: dict[tuple[tuple[int, ...], str], list[Requirement]] = {}
        self._statuses: dict[tuple[int, datetime.date | None], RequirementStatus] = {}

    @classmethod
    def for_organisations(cls, organisations: Iterable[Organisation], **kwargs) -> RequirementStatuses:
        """Chains read from organisations loaded ``with_chain()`` or with their parent."""
        return cls({o.pk: o.chain for o in organisations}, **kwargs)

    @property
    def needs_competences(self) -> bool:
        """Whether any requirement asks for a competence (else course coverage is enough)."""
        return any(r.competence_id for rs in self.by_org.values() for r in rs)

    def add(self, person_id: int, day: datetime.date, course_id: int | None, competence_ids) -> None:
        """One completed training: a valid certificate or external training (equivalent course)."""
        if day > self.today:
            return
        if course_id is not None:
            key = (person_id, course_id)
            if day > self._course.get(key, datetime.date.min):
                self._course[key] = day
        for competence_id in competence_ids:
            key = (person_id, competence_id)
            if day > self._competence.get(key, datetime.date.min):
                self._competence[key] = day

    def course_requirements(self) -> list[Requirement]:
        return [r for rs in self.by_org.values() for r in rs if r.course_id]

    def applicable(self, organisation_id: int | None, job_role: str) -> list[Requirement]:
        chain = self.chains.get(organisation_id, ())
        key = (chain, (job_role or "").strip().lower())
        found = self._applicable.get(key)
        if found is None:
            found = self._applicable[key] = [r for org_id in chain for r in self.by_org.get(org_id, ())
                                             if r.applies_to(job_role)]
        return found

    def for_person(self, person_id: int, organisation_id: int | None, job_role: str) -> list[RequirementStatus]:
        """The person's status for each requirement that applies to them, in label order."""
        return [self._status(requirement, self._latest(person_id, requirement))
                for requirement in self.applicable(organisation_id, job_role)]

    def _latest(self, person_id: int, requirement: Requirement) -> datetime.date | None:
        if requirement.course_id:
            return self._course.get((person_id, requirement.course_id))
        return self._competence.get((person_id, requirement.competence_id))

    def _status(self, requirement: Requirement, latest: datetime.date | None) -> RequirementStatus:
        key = (requirement.pk, latest)
        status = self._statuses.get(key)
        if status is None:
            status = self._statuses[key] = status_from_latest(requirement, latest, self.today,
                                                              self.expiring_days)
        return status
