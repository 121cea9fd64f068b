"""The hours-within-windows rule of mandatory training, for one person and one obligation.

Input: the training that counts towards the obligation, as ``(end date, hours, delivery mode)``
(end date as on the attestato). Training in a delivery mode the obligation does not allow, or after
``today``, does not count. Then:

1. **Initial training**: hours add up in date order (they may be split over several courses); the
   person is qualified on the end date of the training that completes ``initial_hours``. Until then the
   obligation is **overdue**, with the hours still missing.
2. **Refreshers**: the window runs ``window_months`` from the qualifying end date (the deadline day
   included: training ending on 15/03/2021 with a 60-month window must be refreshed by 15/03/2026).
   Training ending after the qualifying date adds up; the day it reaches ``refresher_hours`` is the new
   qualifying date (surplus hours are not carried over). If the deadline passes first the
   qualification has **lapsed** until the missing hours are done; the late refresher re-qualifies from
   its own end date.
3. Qualified and the deadline within ``due_days`` (default 90): **due** by the deadline, with the hours
   missing; otherwise **compliant**.

ECM obligations (unit = credits) count credits in the fixed three-year cycles of the national ECM
programme (2023–2025, 2026–2028, ...): compliant once the cycle's credits are reached, due when the
cycle ends within ``due_days`` without them, lapsed for a cycle that ended short is not tracked.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

COMPLIANT, DUE, OVERDUE, LAPSED = "compliant", "due", "overdue", "lapsed"
STATUS_ORDER = {COMPLIANT: 0, DUE: 1, LAPSED: 2, OVERDUE: 3}
DEFAULT_DUE_DAYS = 90
ECM_FIRST_CYCLE = 2023  # cycles are 2023-2025, 2026-2028, ... (and 2020-2022 before)
ECM_CYCLE_YEARS = 3
ZERO = Decimal(0)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Credit:
    day: datetime.date
    hours: Decimal
    mode: str


@dataclass(slots=True)
class ObligationStatus:
    obligation: object  # academy.obligations.models.Obligation (kept loose: the rule needs no database)
    status: str
    qualified_on: datetime.date | None = None
    due_on: datetime.date | None = None
    hours_done: Decimal = ZERO
    hours_required: Decimal = ZERO

    @property
    def hours_missing(self) -> Decimal:
        return max(self.hours_required - self.hours_done, ZERO)

    @property
    def needs_action(self) -> bool:
        return self.status != COMPLIANT


def ecm_cycle(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = ECM_FIRST_CYCLE + (day.year - ECM_FIRST_CYCLE) // ECM_CYCLE_YEARS * ECM_CYCLE_YEARS
    return datetime.date(start, 1, 1), datetime.date(start + ECM_CYCLE_YEARS - 1, 12, 31)


def evaluate(obligation, credits: Iterable[Credit], today: datetime.date,
             due_days: int = DEFAULT_DUE_DAYS) -> ObligationStatus:
    """The person's status for ``obligation`` given everything that might count (see module doc)."""
    if obligation.unit == "credits":
        return _evaluate_ecm(obligation, credits, today, due_days)
    counted = sorted((c for c in credits if c.day <= today and obligation.allows(c.mode)), key=lambda c: c.day)
    initial = Decimal(obligation.initial_hours)
    done, anchor, index = ZERO, None, 0
    while anchor is None and index < len(counted):
        done += counted[index].hours
        if done >= initial:
            anchor = counted[index].day
        index += 1
    if anchor is None:
        return ObligationStatus(obligation, OVERDUE, None, None, done, initial)
    if not obligation.window_months or obligation.refresher_hours is None:
        return ObligationStatus(obligation, COMPLIANT, anchor, None, initial, initial)
    required = Decimal(obligation.refresher_hours)
    done = ZERO
    for credit in counted[index:]:
        if credit.day <= anchor:
            continue
        done += credit.hours
        if done >= required:
            anchor, done = credit.day, ZERO
    deadline = add_months(anchor, obligation.window_months)
    if today > deadline:
        status = LAPSED
    elif today >= deadline - datetime.timedelta(days=due_days):
        status = DUE
    else:
        status = COMPLIANT
    return ObligationStatus(obligation, status, anchor, deadline, done, required)


def _evaluate_ecm(obligation, credits: Iterable[Credit], today: datetime.date, due_days: int) -> ObligationStatus:
    start, end = ecm_cycle(today)
    done = sum((c.hours for c in credits if start <= c.day <= min(end, today)), ZERO)
    required = Decimal(obligation.initial_hours)
    if done >= required:
        status = COMPLIANT
    elif today >= end - datetime.timedelta(days=due_days):
        status = DUE
    else:
        status = COMPLIANT
    return ObligationStatus(obligation, status, None, end, done, required)


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=STATUS_ORDER.__getitem__, default=COMPLIANT)
