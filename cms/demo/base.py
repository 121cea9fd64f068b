"""What every demo loader shares: the context handed from loader to loader, and page helpers."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Locale, Page

from academy.courses.models import CoursePage, ThematicArea, Trainer
from academy.network.models import Organisation
from cms.models import HomePage, ProgrammePage


@dataclass
class DemoContext:
    today: datetime.date
    it: Locale = None
    en: Locale = None
    home: HomePage = None
    programme: ProgrammePage = None
    areas: dict[str, ThematicArea] = field(default_factory=dict)
    trainers: dict[str, Trainer] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    courses: dict[str, CoursePage] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def rome(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute,
                             tzinfo=timezone.get_default_timezone())


def easter(year: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lw) // 451
    month, day = divmod(h + lw - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


# Italy's national public holidays with a fixed date, as (month, day): L. 260/1949 as amended, with
# 4 October (St Francis) again a holiday from 2026 (L. 151/2025).
FIXED_HOLIDAYS = {(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (10, 4), (11, 1), (12, 8), (12, 25), (12, 26)}


def is_day_off(day: datetime.date) -> bool:
    """Sunday or an Italian national public holiday (Easter Monday included), when nobody runs a course."""
    return (day.weekday() == 6 or (day.month, day.day) in FIXED_HOLIDAYS
            or day == easter(day.year) + datetime.timedelta(days=1))


def course_day(today: datetime.date, offset: int) -> datetime.date:
    """The demo date ``offset`` days from ``today``, moved to the nearest working day away from today (a
    past course stays past, an upcoming one upcoming), so that demo courses never fall on a Sunday or a
    public holiday (26 December, Easter Monday, ...)."""
    step = datetime.timedelta(days=-1 if offset < 0 else 1)
    day = today + datetime.timedelta(days=offset)
    while is_day_off(day):
        day += step
    return day


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page: Page, locale: Locale, **fields) -> Page:
    """The page's translation in ``locale``, created (and published) if missing."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    translated = page.copy_for_translation(locale, copy_parents=False).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    return publish(translated)


def demo_password(default: str) -> str:
    """The password of a demo account: ``ACADEMY_DEMO_PASSWORD`` when set (``load_demo`` requires it in
    production, where the README's passwords are public knowledge), else the README's."""
    return os.environ.get("ACADEMY_DEMO_PASSWORD") or default


def shown_password(default: str) -> str:
    """What the load report prints: never a password that came from the environment."""
    return "ACADEMY_DEMO_PASSWORD" if os.environ.get("ACADEMY_DEMO_PASSWORD") else default
