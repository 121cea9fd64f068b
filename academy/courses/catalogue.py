"""The programme catalogue: which courses to show, for a locale and a set of filters.

One place answers this for the home page, the programme page and the iCal feeds. The number of SQL
queries is fixed whatever the number of courses: areas are prefetched and sessions are fetched in
one query for all listed courses (from their default-locale pages, which own the schedule).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from .models import CoursePage, Session, ThematicArea

UPCOMING = "upcoming"
PAST = "past"
ALL = "all"  # feeds: the last year and everything upcoming
KINDS = {"webinar": ("webinars", "webinarpage"), "masterclass": ("masterclass", "masterclasspage")}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")


def query_text(params: Mapping[str, str], key: str, max_length: int = 200) -> str:
    """Free text from a query string, trimmed and without NUL characters (PostgreSQL refuses them)."""
    return params.get(key, "").replace("\x00", "").strip()[:max_length]


def query_slug(params: Mapping[str, str], key: str) -> str:
    """A slug from a query string, or "" when it is not one (it is used to build URLs)."""
    value = params.get(key, "")
    return value if _SLUG.match(value) else ""


@dataclass(frozen=True)
class CatalogueFilters:
    period: str = UPCOMING
    area: str = ""
    kind: str = ""
    month: str = ""  # YYYY-MM
    query: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> CatalogueFilters:
        """Parse GET parameters; anything malformed is ignored rather than raising."""
        period = params.get("period", UPCOMING)
        kind = params.get("format", "")
        month = params.get("month", "")
        match = _MONTH.match(month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            month = ""
        return cls(
            period=period if period in (UPCOMING, PAST) else UPCOMING,
            area=query_slug(params, "area"),
            kind=kind if kind in KINDS else "",
            month=month,
            query=query_text(params, "q"),
        )

    def as_kwargs(self) -> dict[str, str]:
        return {"period": self.period, "area": self.area, "kind": self.kind, "month": self.month,
                "query": self.query}


def month_bounds(month: str) -> tuple[datetime.datetime, datetime.datetime]:
    year, mon = (int(x) for x in month.split("-"))
    tz = timezone.get_default_timezone()
    start = datetime.datetime(year, mon, 1, tzinfo=tz)
    end = datetime.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=tz)
    return start, end


def find_courses(locale: Locale, *, period: str = UPCOMING, area: str = "", kind: str = "", month: str = "",
                 query: str = "", now: datetime.datetime | None = None) -> list[CoursePage]:
    """Live courses in ``locale`` matching the filters, each with ``_prefetched_sessions`` set."""
    now = now or timezone.now()
    courses = CoursePage.objects.live().public().filter(locale=locale)
    if period == PAST:
        courses = courses.filter(last_ends_at__lt=now).order_by("-first_starts_at")
    elif period == UPCOMING:
        courses = courses.filter(last_ends_at__gte=now).order_by("first_starts_at")
    else:
        courses = courses.filter(last_ends_at__gte=now - datetime.timedelta(days=365)).order_by("first_starts_at")
    if area:
        courses = courses.filter(areas__slug=area)
    if kind:
        app_label, model = KINDS[kind]
        courses = courses.filter(content_type=ContentType.objects.get_by_natural_key(app_label, model))
    if month:
        start, end = month_bounds(month)
        courses = courses.filter(first_starts_at__lt=end, last_ends_at__gte=start)
    query = search_words(query)
    if query:
        matching = CoursePage.objects.live().filter(locale=locale).search(query)
        courses = courses.filter(pk__in=[page.pk for page in matching])
    courses = list(
        courses.select_related("content_type").prefetch_related(
            Prefetch("areas", queryset=ThematicArea.objects.order_by("sort_order"))
        ).distinct()
    )
    attach_sessions(courses)
    return courses


def search_words(query: str) -> str:
    """The text of a search without double quotes and control characters: SQLite's full-text syntax
    refuses an unpaired quote and PostgreSQL a NUL, and a search for them is a search for nothing else."""
    return "".join(c for c in (query or "") if c != '"' and (c.isprintable() or c.isspace())).strip()


def attach_sessions(courses: list[CoursePage]) -> None:
    """Give each course its (canonical) sessions with one query for all of them."""
    if not courses:
        return
    by_key: dict = defaultdict(list)
    sessions = Session.objects.filter(
        course__translation_key__in={c.translation_key for c in courses},
        course__locale=Locale.get_default(),
        cancelled=False,
    ).select_related("course").order_by("starts_at")
    for session in sessions:
        by_key[session.course.translation_key].append(session)
    for course in courses:
        course._prefetched_sessions = by_key.get(course.translation_key, [])


def course_kind(course: CoursePage) -> str:
    return course.content_type.model.removesuffix("page")


def facets() -> dict:
    """Filter choices for the catalogue: areas, formats and the months that have sessions."""
    now = timezone.now()
    months = sorted({
        timezone.localtime(dt).strftime("%Y-%m")
        for dt in Session.objects.filter(cancelled=False, ends_at__gte=now - datetime.timedelta(days=365))
        .values_list("starts_at", flat=True)
    })
    return {"areas": list(ThematicArea.objects.all()), "kinds": list(KINDS), "months": months}


def recent_courses(limit: int = 12) -> list[dict]:
    """The latest courses that have started (newest first) as ``pk``/``title``/``first_starts_at``
    rows: ``pk`` is the default-locale page (which registers and exports use), ``title`` is in the
    active language where a translation exists. Two queries at most."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    rows = list(CoursePage.objects.live().filter(locale__language_code=default, first_starts_at__lte=timezone.now())
                .order_by("-first_starts_at").values("pk", "title", "first_starts_at", "translation_key")[:limit])
    language = get_supported_content_language_variant(get_language() or default)
    if rows and language != default:
        titles = dict(CoursePage.objects.live().filter(locale__language_code=language, translation_key__in=[
            r["translation_key"] for r in rows]).values_list("translation_key", "title"))
        for row in rows:
            row["title"] = titles.get(row["translation_key"], row["title"])
    return rows
