"""Dates that move a deadline away from the plain refresher window: the 2025 State-Regions Agreement's
entry into force and the transitions of its Part VII (FAQ 2025 nn. 16-17, 45; FAQ 2026 q. 37), and the
same shape in DM 2/9/2021 art. 7 c. 2 (fire safety). Pure; the figures live on each ``Obligation``
(``transition_*`` fields) with their sources, ``docs/mandatory-training.md`` explains them.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings

# FAQ 2026 q. 11 (and qq. 37, 45): in force on its publication on the Ministry's site, 19/05/2025 (L.
# 69/2009 art. 32); Part VII point 1 says "publication in the Gazzetta", n. 119 of 24/05/2025, which FAQ
# 2025 n. 17 used. The earlier date is the default: every transition deadline falls five days earlier, so
# the engine never calls compliant someone an inspector reading the latest FAQ would call late.
DEFAULT_ENTRY_INTO_FORCE = datetime.date(2025, 5, 19)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entry_into_force() -> datetime.date:
    """``settings.ASR_2025_ENTRY_INTO_FORCE`` (a date or ISO string), else the default above."""
    value = getattr(settings, "ASR_2025_ENTRY_INTO_FORCE", None) or DEFAULT_ENTRY_INTO_FORCE
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def start_of(obligation, in_force: datetime.date) -> datetime.date | None:
    """The day the obligation's transition is counted from (None: it has none)."""
    own = getattr(obligation, "transition_from", None)
    if own:
        return own if isinstance(own, datetime.date) else datetime.date.fromisoformat(str(own))
    if getattr(obligation, "legal_frame", "") == "asr2025":
        return in_force
    return None


def deadline(obligation, anchor: datetime.date, in_force: datetime.date) -> tuple[datetime.date, bool]:
    """The refresher deadline of a qualification gained on ``anchor``, and whether a transition set it.

    Qualified before the transition: if the (new) window had already run out by then, the refresher is
    due ``transition_overdue_months`` after it; otherwise ``transition_recent_months`` after it (or the
    plain window when that is empty). Supervisors: 12 and 24 months (Part VII; FAQ 2025 n. 17; FAQ 2026
    q. 37); fire wardens: 12 months from 04/10/2022 (DM 2/9/2021 art. 7 c. 2)."""
    normal = add_months(anchor, obligation.window_months)
    start = start_of(obligation, in_force)
    if start is None or anchor >= start:
        return normal, False
    months = (getattr(obligation, "transition_overdue_months", None) if normal < start
              else getattr(obligation, "transition_recent_months", None))
    if not months:
        return normal, False
    return add_months(start, months), True


def initial_deadline(obligation, assigned_on: datetime.date | None,
                     in_force: datetime.date) -> tuple[datetime.date | None, bool]:
    """When the initial course is due, and whether a transition set it.

    The law's rule is "at the start of employment or of the role" (D.Lgs. 81/2008 art. 37 c. 4; no 60
    days any more: FAQ 2025 nn. 5, 56; FAQ 2026 qq. 9, 32), so the deadline is ``assigned_on`` itself;
    a course with an initial transition (employers: 24 months, Part VII; FAQ 2025 n. 45) is due by the
    end of it for anyone in the role by then."""
    months = getattr(obligation, "initial_transition_months", None)
    start = start_of(obligation, in_force)
    if months and start is not None:
        end = add_months(start, months)
        if assigned_on is None or assigned_on <= end:
            return end, True
    return assigned_on, False
