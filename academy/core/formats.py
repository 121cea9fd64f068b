"""Dates, hours and percentages as each language writes them: the one place pages, e-mails, calendars and
the admin format a long date, a number of hours or a percentage.

Django's Italian catalogue capitalises month and weekday names ("Martedì 8 Dicembre"), which Italian
writes in lower case ("martedì 8 dicembre"); hours are Decimals whose ``str`` keeps a decimal point and
trailing zeros ("2.00"), where Italian writes "2" or "2,5".
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import lru_cache

from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR

# Languages that write month and weekday names in lower case inside a sentence.
LOWER_CASE_NAMES = frozenset({"it"})


def _language() -> str:
    return (translation.get_language() or "").split("-")[0]


@lru_cache(maxsize=8)
def _names_pattern(language: str) -> re.Pattern:
    """Every month and weekday name of ``language`` (full, abbreviated, genitive), longest first."""
    with translation.override(language):
        names = {str(n) for table in (MONTHS, MONTHS_ALT, MONTHS_3, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR)
                 for n in table.values()}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def long_date(value: datetime.date | datetime.datetime | None, fmt: str = "j F Y") -> str:
    """``value`` in the active language with a Django date format (``"l j F Y"``): "martedì 8 dicembre
    2026" / "Tuesday 8 December 2026". Aware datetimes are shown in the current time zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = formats.date_format(value, fmt)
    language = _language()
    if language in LOWER_CASE_NAMES:
        text = _names_pattern(language).sub(lambda m: m.group(0).lower(), text)
    return text


def hours(value: Decimal | float | int | str | None) -> str:
    """A number of hours in the active language, trailing zeros dropped: "2", "2,5" / "2.5"."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return formats.number_format(int(number), use_l10n=True)
    return formats.number_format(number, decimal_pos=max(0, -number.as_tuple().exponent), use_l10n=True)


def percent(value: Decimal | float | int | None, decimals: int = 1) -> str:
    """A percentage in the active language with a fixed number of decimals: "50,0%" / "50.0%", the same
    text in a chart and in the table beside it."""
    if value in (None, ""):
        return ""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True) + "%"
