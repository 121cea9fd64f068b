"""Is a register complete enough to prove attendance? What staff see before generating one, what the
register PDF marks and why the plan summary will not call itself complete.

Three gaps, each with its source:

* a learner of a funded plan without a codice fiscale: the register identifies learners by it (the
  fund's reporting, and the learners' personal data of the course file, Agreement 59/CSR of 17/04/2025,
  Part I, point 7);
* a learner not identified individually in the Teams report: real-time videoconference asks one device
  per learner (Agreement 59/CSR, Part I, on videoconference; as read in issue 25, the point is not
  verified here), so minutes that reached a person only through an anonymous entry staff assigned
  (Teams minutes with no login/logout of their own) or through a connection other learners share (the
  same login and logout times as another learner) are flagged, never counted silently;
* a distance session whose course has no tutor (FAQ interregionali ASR 2025 nn. 59-60,
  ``CoursePage.tutor``).

Built with two queries for a whole plan, whatever the number of sessions and learners.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from academy.attendance.models import AttendanceInterval, AttendanceRecord
from academy.courses.models import Session

from .registers import Learner, PlanSummary, SessionRegister

ANONYMOUS = "anonymous"
SHARED = "shared"


@dataclass
class SessionGaps:
    session: Session
    not_identified: dict[int, str] = field(default_factory=dict)  # person id -> ANONYMOUS | SHARED
    missing_fiscal_code: list[Learner] = field(default_factory=list)

    @property
    def tutor_missing(self) -> bool:
        return not self.session.is_in_person and self.session.course.tutor_id is None

    @property
    def complete(self) -> bool:
        return not (self.not_identified or self.missing_fiscal_code or self.tutor_missing)


@dataclass
class PlanGaps:
    sessions: list[SessionGaps]
    missing_fiscal_code: list[Learner]

    @property
    def complete(self) -> bool:
        return not self.missing_fiscal_code and all(s.complete for s in self.sessions)

    @property
    def incomplete_sessions(self) -> list[SessionGaps]:
        return [s for s in self.sessions if not s.complete]


def not_identified(session_ids: list[int]) -> dict[tuple[int, int], str]:
    """(session id, person id) -> why the person's Teams minutes are not theirs alone."""
    with_minutes = set(AttendanceRecord.objects.filter(
        session_id__in=session_ids, source=AttendanceRecord.Source.TEAMS, minutes__gt=0)
        .values_list("session_id", "person_id"))
    spans: dict[tuple[int, int], set] = defaultdict(set)
    for session_id, person_id, joined, left in AttendanceInterval.objects.filter(
            session_id__in=session_ids, source=AttendanceRecord.Source.TEAMS).values_list(
            "session_id", "person_id", "joined_at", "left_at"):
        spans[(session_id, person_id)].add((joined, left))
    found = {key: ANONYMOUS for key in with_minutes if not spans.get(key)}
    owners: dict[tuple[int, frozenset], list[int]] = defaultdict(list)
    for (session_id, person_id), own in spans.items():
        owners[(session_id, frozenset(own))].append(person_id)
    for (session_id, _spans), people in owners.items():
        if len(people) > 1:
            found.update({(session_id, person_id): SHARED for person_id in people})
    return found


def register_gaps(register: SessionRegister) -> SessionGaps:
    flags = not_identified([register.session.pk])
    return SessionGaps(
        session=register.session,
        not_identified={row.learner.person_id: flags[(register.session.pk, row.learner.person_id)]
                        for row in register.rows if (register.session.pk, row.learner.person_id) in flags},
        missing_fiscal_code=[row.learner for row in register.rows if not row.learner.fiscal_code])


def plan_gaps(summary: PlanSummary) -> PlanGaps:
    """The gaps of every session register of the plan, and the plan's learners without codice fiscale."""
    flags = not_identified([s.pk for s in summary.sessions])
    learners = {row.learner.person_id for row in summary.rows}
    sessions = [SessionGaps(session=s, not_identified={pid: why for (sid, pid), why in flags.items()
                                                       if sid == s.pk and pid in learners})
                for s in summary.sessions]
    return PlanGaps(sessions=sessions,
                    missing_fiscal_code=[row.learner for row in summary.rows if not row.learner.fiscal_code])
