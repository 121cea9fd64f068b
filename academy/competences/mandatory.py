"""Mandatory-training status, the obligations' half of the one engine (``academy.competences.engine``;
``compliance.RequirementStatuses`` is the requirements' half), for obligations set by law (hours within
windows, ``academy.obligations.rules.evaluate``).

Which obligations apply to a person: the legal roles they hold (their designations, the job-role
mappings of their organisation and the consortia above it, and "worker" for everyone when the
nearest risk profile says so), filtered by the risk classes of the nearest risk profile in the chain.

What counts: a valid certificate of an Academy course counts, towards each obligation the course
satisfies, the hours of its modules in a delivery mode the obligation allows, on the certificate's end
date (the attestato's "to" date; a certificate exists only once attendance met the course's rule);
training done elsewhere (``ExternalTraining``) counts its hours and mode towards its obligation on its end
date, and its ECM credits; the Academy's accredited courses earn their ECM credits. The engine
(``academy.competences.engine``) reads those rows once and feeds them here.

Cost: a fixed number of queries (obligations, profiles, mappings, modules, ECM courses, and the people's
designations), whatever the number of people; per person
only dict lookups and one ``evaluate`` per applicable obligation that has training (people with no
training share memoised statuses).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from academy.obligations.models import (
    CourseEcm,
    CourseModule,
    Designation,
    JobRoleMapping,
    LegalRole,
    Obligation,
    RiskProfile,
)
from academy.obligations.rules import (
    COMPLIANT,
    DEFAULT_DUE_DAYS,
    DUE,
    LAPSED,
    OVERDUE,
    Credit,
    ObligationStatus,
    evaluate,
)

__all__ = ["COMPLIANT", "DUE", "LAPSED", "OVERDUE", "ObligationStatus", "ObligationStatuses"]

ECM_MODE = "ecm"


class ObligationStatuses:
    def __init__(self, chains: dict[int, tuple[int, ...]], person_ids, *, today: datetime.date,
                 due_days: int = DEFAULT_DUE_DAYS):
        self.chains, self.today, self.due_days = chains, today, due_days
        org_ids = {i for chain in chains.values() for i in chain}
        self.obligations: list[Obligation] = []
        self.by_id: dict[int, Obligation] = {}
        self.profiles: dict[int, tuple[frozenset[str], bool]] = {}
        self.mappings: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.designations: dict[int, frozenset[str]] = {}
        self.credits: dict[tuple[int, int], list[Credit]] = defaultdict(list)
        self.modules: dict[int, list[tuple[int, Decimal, str]]] = defaultdict(list)
        self.ecm_courses: dict[int, Decimal] = {}
        self._applicable: dict[tuple, list[Obligation]] = {}
        self._empty: dict[tuple[int, str], ObligationStatus] = {}
        self.ecm_ids: list[int] = []
        if org_ids:
            for profile in RiskProfile.objects.filter(organisation_id__in=org_ids):
                self.profiles[profile.organisation_id] = (profile.tokens, profile.everyone_is_worker)
            for org_id, job_role, role in JobRoleMapping.objects.filter(organisation_id__in=org_ids).values_list(
                    "organisation_id", "job_role", "role"):
                self.mappings[org_id].append((job_role.strip().lower(), role))
        roles: dict[int, set[str]] = defaultdict(set)
        for person_id, role in Designation.objects.filter(person_id__in=person_ids).order_by().values_list("person_id", "role"):
            roles[person_id].add(role)
        self.designations = {k: frozenset(v) for k, v in roles.items()}
        if not (self.designations or self.mappings or any(worker for _t, worker in self.profiles.values())):
            return  # nobody in scope has a legal role yet: no obligation applies, no credit can count
        self.obligations = list(Obligation.objects.filter(active=True))
        self.by_id = {o.pk: o for o in self.obligations}
        if not self.obligations:
            return
        for course_id, obligation_id, hours, mode in CourseModule.objects.values_list(
                "course_id", "obligation_id", "hours", "delivery_mode"):
            self.modules[course_id].append((obligation_id, hours, mode))
        self.ecm_courses = dict(CourseEcm.objects.values_list("course_id", "credits"))
        self.ecm_ids = [o.pk for o in self.obligations if o.is_ecm]

    @property
    def course_ids(self) -> set[int]:
        return set(self.modules) | set(self.ecm_courses)

    def add_certificate(self, person_id: int, course_id: int, day: datetime.date) -> None:
        """A valid certificate of an Academy course, ending on ``day``."""
        for obligation_id, hours, mode in self.modules.get(course_id, ()):
            self.credits[(person_id, obligation_id)].append(Credit(day, hours, mode))
        credits = self.ecm_courses.get(course_id)
        if credits is not None:
            for obligation_id in self.ecm_ids:
                self.credits[(person_id, obligation_id)].append(Credit(day, credits, ECM_MODE))

    def add_external(self, person_id: int, day: datetime.date, hours: Decimal, mode: str,
                     obligation_id: int | None, credits: Decimal | None, source: str = "") -> None:
        """One row of training done elsewhere: hours towards its obligation, credits towards ECM."""
        if obligation_id is not None and obligation_id in self.by_id:
            self.credits[(person_id, obligation_id)].append(Credit(day, hours, mode, source=source))
        if credits is not None:
            for ecm_id in self.ecm_ids:
                self.credits[(person_id, ecm_id)].append(Credit(day, credits, ECM_MODE, source=source))

    def roles_of(self, person_id: int, organisation_id: int | None, job_role: str) -> frozenset[str]:
        chain = self.chains.get(organisation_id, ())
        found = set(self.designations.get(person_id, ()))
        wanted = (job_role or "").strip().lower()
        for org_id in chain:
            found.update(role for mapped, role in self.mappings.get(org_id, ()) if mapped == wanted)
        profile = self._profile(chain)
        if profile is not None and profile[1]:
            found.add(LegalRole.WORKER)
        return frozenset(found)

    def _profile(self, chain: tuple[int, ...]) -> tuple[frozenset[str], bool] | None:
        return next((self.profiles[i] for i in chain if i in self.profiles), None)

    def applicable(self, person_id: int, organisation_id: int | None, job_role: str) -> list[Obligation]:
        roles = self.roles_of(person_id, organisation_id, job_role)
        if not roles:
            return []
        chain = self.chains.get(organisation_id, ())
        key = (chain, roles)
        found = self._applicable.get(key)
        if found is None:
            profile = self._profile(chain)
            tokens = profile[0] if profile else frozenset()
            found = self._applicable[key] = [
                o for o in self.obligations if o.role in roles and (not o.risk_tokens or o.risk_tokens & tokens)]
        return found

    def for_person(self, person_id: int, organisation_id: int | None, job_role: str) -> list[ObligationStatus]:
        if not self.obligations:  # nobody in scope has a legal role (or no obligation is active)
            return []
        results = []
        profile = self._profile(self.chains.get(organisation_id, ()))
        # the risk class of the person's own job is that of their organisation's profile (FAQ 2025 n. 57)
        risk_class = next((t.split(":", 1)[1] for t in profile[0] if t.startswith("hs:")), "") if profile else ""
        for obligation in self.applicable(person_id, organisation_id, job_role):
            credits = self.credits.get((person_id, obligation.pk))
            if credits:
                results.append(evaluate(obligation, credits, self.today, self.due_days,
                                        person_risk_class=risk_class))
            else:
                key = (obligation.pk, risk_class)
                status = self._empty.get(key)
                if status is None:
                    status = self._empty[key] = evaluate(obligation, (), self.today, self.due_days,
                                                         person_risk_class=risk_class)
                results.append(status)
        return results
