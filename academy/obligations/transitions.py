"""The 2025 State-Regions Agreement's entry into force and its transitions (Part VII; FAQ 2025 nn.
16-17): dates that move a deadline away from the plain refresher window. Pure; sources in
``docs/mandatory-training.md``.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings

# Publication in the Gazzetta Ufficiale n. 119 of 24/05/2025 (Part VII: in force on publication); the
# interregional FAQ of 27/03/2026 (q. 11) says 19/05/2025 instead. The later date is the default: it
# never makes a course count as 2025-rules training that an inspector could treat as 2011-rules.
DEFAULT_ENTRY_INTO_FORCE = datetime.date(2025, 5, 24)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entry_into_force() -> datetime.date:
    """``settings.ASR_2025_ENTRY_INTO_FORCE`` (a date or ISO string), else the default above."""
    value = getattr(settings, "ASR_2025_ENTRY_INTO_FORCE", None) or DEFAULT_ENTRY_INTO_FORCE
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def deadline(obligation, anchor: datetime.date, frame: str, in_force: datetime.date) -> datetime.date:
    """The refresher deadline of a qualification gained on ``anchor`` under ``frame``."""
    return add_months(anchor, obligation.window_months)
