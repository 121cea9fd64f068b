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
