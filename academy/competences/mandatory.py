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

from academy.obligations import credits as annex_iii
from academy.obligations.models import (
    CourseEcm,
    CourseModule,
    Designation,
    Employment,
    JobRoleMapping,
    LegalRole,
    Obligation,
    RiskProfile,
)
from academy.obligations.rules import (
    COMPLIANT,
    DEFAULT_DUE_DAYS,
    DUE,
    GENERAL,
    GENERAL_HOURS,
    LAPSED,
    OVERDUE,
    REASON_INITIAL,
    Credit,
    ObligationStatus,
    annex_credit,
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
        self.since: dict[tuple[int, str], datetime.date] = {}  # (person, designated role) -> since
        self.employment: dict[int, tuple[datetime.date | None, datetime.date | None, str]] = {}
        self.credits: dict[tuple[int, int], list[Credit]] = defaultdict(list)
        self.modules: dict[int, list[tuple[int, Decimal, str]]] = defaultdict(list)
        self.ecm_courses: dict[int, Decimal] = {}
        self._applicable: dict[tuple, list[Obligation]] = {}
        self._empty: dict[tuple, ObligationStatus] = {}
        self.ecm_ids: list[int] = []
        if org_ids:
            for profile in RiskProfile.objects.filter(organisation_id__in=org_ids):
                self.profiles[profile.organisation_id] = (profile.tokens, profile.everyone_is_worker)
            for org_id, job_role, role in JobRoleMapping.objects.filter(organisation_id__in=org_ids).values_list(
                    "organisation_id", "job_role", "role"):
                self.mappings[org_id].append((job_role.strip().lower(), role))
        roles: dict[int, set[str]] = defaultdict(set)
        for person_id, role, since in Designation.objects.filter(person_id__in=person_ids).order_by().values_list(
                "person_id", "role", "since"):
            roles[person_id].add(role)
            if since is not None:
                self.since[(person_id, role)] = since
        self.designations = {k: frozenset(v) for k, v in roles.items()}
        if not (self.designations or self.mappings or any(worker for _t, worker in self.profiles.values())):
            return  # nobody in scope has a legal role yet: no obligation applies, no credit can count
        self.employment = {row[0]: row[1:] for row in Employment.objects.filter(person_id__in=person_ids)
                           .order_by().values_list("person_id", "hired_on", "job_since", "risk_class")}
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
            obligation = self.by_id.get(obligation_id)
            code = obligation.code if obligation else ""
            self.credits[(person_id, obligation_id)].append(Credit(day, hours, mode, obligation_code=code))
        credits = self.ecm_courses.get(course_id)
        if credits is not None:
            for obligation_id in self.ecm_ids:
                self.credits[(person_id, obligation_id)].append(Credit(day, credits, ECM_MODE))

    def add_external(self, person_id: int, day: datetime.date, hours: Decimal, mode: str,
                     obligation_id: int | None, credits: Decimal | None, source: str = "", *, frame: str = "",
                     kind: str = "", module: str = "") -> None:
        """One row of training done elsewhere: hours towards its obligation (with the rules it was done
        under, initial or refresher, the module it covers, as on the attestato), credits towards ECM."""
        if obligation_id is not None and obligation_id in self.by_id:
            self.credits[(person_id, obligation_id)].append(Credit(
                day, hours, mode, frame=frame, kind=kind, module=module, source=source,
                obligation_code=self.by_id[obligation_id].code))
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

    def risk_class_of(self, person_id: int, organisation_id: int | None) -> str:
        """The risk class of the person's own job: their employment's when the risk assessment set one apart
        (Part II 2.1.1; FAQ 2025 n. 57; Interpello 1/2025), else their organisation's profile."""
        own = self.employment.get(person_id, (None, None, ""))[2]
        if own:
            return own
        profile = self._profile(self.chains.get(organisation_id, ()))
        return next((t.split(":", 1)[1] for t in profile[0] if t.startswith("hs:")), "") if profile else ""

    def applicable(self, person_id: int, organisation_id: int | None, job_role: str) -> list[Obligation]:
        roles = self.roles_of(person_id, organisation_id, job_role)
        if not roles:
            return []
        chain = self.chains.get(organisation_id, ())
        own = self.employment.get(person_id, (None, None, ""))[2]
        key = (chain, roles, own)
        found = self._applicable.get(key)
        if found is None:
            profile = self._profile(chain)
            tokens = profile[0] if profile else frozenset()
            if own:  # the job's own class replaces the organisation's for the workers' course (hours 8/12/16)
                tokens = frozenset({t for t in tokens if not t.startswith("hs:")} | {f"hs:{own}"})
            found = self._applicable[key] = [
                o for o in self.obligations if o.role in roles and (not o.risk_tokens or o.risk_tokens & tokens)]
        return found

    def assigned_on(self, person_id: int, organisation_id: int | None, job_role: str,
                    role: str) -> datetime.date | None:
        """When the person took up ``role``: training is due then (D.Lgs. 81/2008 art. 37 c. 4; no 60 days,
        FAQ 2025 nn. 5, 56; FAQ 2026 qq. 9, 32). A designated role starts on its ``since`` date; a role that
        comes with the job (a job-role mapping) at the start of the current job, else of the employment; the
        workers' course at the start of the employment (c. 4 a; a change of job, c. 4 b, never makes it later:
        conservative). Held several ways: the earliest date. None: not known (overdue)."""
        hired_on, job_since, _own = self.employment.get(person_id, (None, None, ""))
        job_start = job_since or hired_on
        dates = []
        if role in self.designations.get(person_id, ()):
            dates.append(self.since.get((person_id, role)) or hired_on)
        chain = self.chains.get(organisation_id, ())
        wanted = (job_role or "").strip().lower()
        if any(mapped == wanted and mapped_role == role for org_id in chain
               for mapped, mapped_role in self.mappings.get(org_id, ())):
            dates.append(job_start)
        if role == LegalRole.WORKER:
            dates += [hired_on, job_since]
        known = [d for d in dates if d is not None]
        return min(known) if known else None

    def _annex_credits(self, person_id: int, roles: frozenset[str], target: Obligation) -> list[Credit]:
        """Annex III credits (p. 130) towards ``target`` from the courses of other roles the person completed:
        one per crediting course, dated on the end of its initial course."""
        found = []
        for source in self.obligations:
            row = annex_iii.source_role(source)
            own = self.credits.get((person_id, source.pk))
            if not row or not own or source.pk == target.pk:
                continue
            grant = annex_iii.credit_for(target, row, holds_source_role=source.role in roles)
            if not grant:
                continue
            done = evaluate(source, own, self.today, self.due_days)
            initial_days = [v.credit.day for v in done.verdicts if v.reason == REASON_INITIAL]
            if done.qualified_on is None or not initial_days:
                continue
            general = grant == "general"
            found.append(annex_credit(
                max(initial_days), GENERAL_HOURS if general else Decimal(target.initial_hours), target.code,
                source.code, source=f"{annex_iii.CITATION}: {source.title}", module=GENERAL if general else ""))
        return found

    def _credits_for(self, person_id: int, roles: frozenset[str], obligation: Obligation) -> list[Credit]:
        """Everything that might count towards ``obligation``: its own trainings; for a workers' course the
        general modules recorded for another workers' course (a permanent credit, Part II 2.1); Annex III
        credits from other roles' courses."""
        found = list(self.credits.get((person_id, obligation.pk), ()))
        if obligation.role == LegalRole.WORKER:
            for other in self.obligations:
                if other.role == LegalRole.WORKER and other.pk != obligation.pk:
                    found += [c for c in self.credits.get((person_id, other.pk), ()) if c.module == GENERAL]
        if obligation.role in (LegalRole.WORKER, LegalRole.RLS) or obligation.code in annex_iii.TARGET_CODES.get(
                obligation.role, ()):
            found += self._annex_credits(person_id, roles, obligation)
        return found

    def for_person(self, person_id: int, organisation_id: int | None, job_role: str) -> list[ObligationStatus]:
        if not self.obligations:  # nobody in scope has a legal role (or no obligation is active)
            return []
        results = []
        risk_class = self.risk_class_of(person_id, organisation_id)
        roles = self.roles_of(person_id, organisation_id, job_role)
        for obligation in self.applicable(person_id, organisation_id, job_role):
            credits = self._credits_for(person_id, roles, obligation)
            assigned_on = self.assigned_on(person_id, organisation_id, job_role, obligation.role)
            if credits:
                results.append(evaluate(obligation, credits, self.today, self.due_days,
                                        person_risk_class=risk_class, assigned_on=assigned_on))
            else:
                key = (obligation.pk, risk_class, assigned_on)
                status = self._empty.get(key)
                if status is None:
                    status = self._empty[key] = evaluate(obligation, (), self.today, self.due_days,
                                                         person_risk_class=risk_class, assigned_on=assigned_on)
                results.append(status)
        return results
