"""The case-study library: combinable filters, full-text search through Wagtail search (the database
backend: PostgreSQL full text in production, SQLite FTS locally) and highlighted snippets.

Wagtail search cannot filter on many-to-many relations (masterclasses), so filters run as an ordinary
queryset and the search narrows it by primary key, keeping the relevance order of the search.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale

from academy.courses.catalogue import query_slug, query_text
from academy.courses.models import ThematicArea

from .models import CaseStudyPage, MasterclassPage

PAGE_SIZE = 9
SNIPPET_LENGTH = 240


@dataclass(frozen=True)
class LibraryFilters:
    area: str = ""
    sector: str = ""
    territory: str = ""
    masterclass: str = ""  # translation_key of the masterclass, language-independent
    query: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> LibraryFilters:
        """Parse GET parameters; anything malformed is dropped rather than raising."""
        sector = params.get("sector", "")
        return cls(
            area=query_slug(params, "area"),
            sector=sector if sector in CaseStudyPage.Sector.values else "",
            territory=query_text(params, "territory", 120),
            masterclass=query_text(params, "masterclass", 64),
            query=query_text(params, "q"),
        )

    @property
    def active(self) -> bool:
        return any((self.area, self.sector, self.territory, self.masterclass, self.query))

    def querystring(self) -> str:
        from urllib.parse import urlencode

        pairs = {"area": self.area, "sector": self.sector, "territory": self.territory,
                 "masterclass": self.masterclass, "q": self.query}
        return urlencode({k: v for k, v in pairs.items() if v})


def filtered(locale: Locale, filters: LibraryFilters):
    pages = CaseStudyPage.objects.live().public().filter(locale=locale)
    if filters.area:
        pages = pages.filter(area__slug=filters.area)
    if filters.sector:
        pages = pages.filter(sector=filters.sector)
    if filters.territory:
        pages = pages.filter(territory__iexact=filters.territory)
    if filters.masterclass:
        pages = pages.filter(masterclasses__translation_key=filters.masterclass)
    return pages.distinct()


def search_library(locale: Locale, filters: LibraryFilters, *, page_number=None) -> dict:
    """Matching case studies for one page of results, with a highlighted snippet for each."""
    pages = filtered(locale, filters)
    if filters.query:
        allowed = set(pages.values_list("pk", flat=True))
        hits = CaseStudyPage.objects.live().filter(locale=locale).search(filters.query, operator="and")
        ordered = [hit.pk for hit in hits if hit.pk in allowed]
        by_pk = {p.pk: p for p in CaseStudyPage.objects.filter(pk__in=ordered).select_related("area")}
        results = [by_pk[pk] for pk in ordered if pk in by_pk]
    else:
        results = list(pages.select_related("area").order_by("-first_published_at", "title"))
    paginator = Paginator(results, PAGE_SIZE)
    page = paginator.get_page(page_number)
    terms = query_terms(filters.query)
    for study in page.object_list:
        study.snippet = snippet(plain_text(study), terms)
    return {"results": page, "paginator": paginator, "result_count": paginator.count}


def facets(locale: Locale) -> dict:
    """Choices for the filters: areas and sectors, plus the territories and masterclasses in use."""
    live = CaseStudyPage.objects.live().public().filter(locale=locale)
    territories = sorted({t for t in live.values_list("territory", flat=True) if t}, key=str.casefold)
    used_keys = set(live.values_list("masterclasses__translation_key", flat=True)) - {None}
    masterclasses = list(MasterclassPage.objects.live().filter(locale=locale, translation_key__in=used_keys)
                         .order_by("title"))
    return {"areas": list(ThematicArea.objects.all()), "sectors": CaseStudyPage.Sector.choices,
            "territories": territories, "masterclasses": masterclasses}


# --- highlighting ---------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """Words of the query worth highlighting (two letters or more), longest first."""
    words = {w.casefold() for w in _WORD.findall(query or "") if len(w) >= 2}
    return sorted(words, key=len, reverse=True)


def plain_text(page: CaseStudyPage) -> str:
    """The searchable text of a case study, without markup, for snippets."""
    parts = [page.summary, _text(page.challenge), _text(page.approach), _text(page.results)]
    for block in page.body:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(_text(value.source))
        elif block.block_type == "heading":
            parts.append(str(value))
        elif block.block_type == "quote":
            parts.append(f"{value.get('text', '')} {value.get('author', '')}")
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()


def _text(rich: str) -> str:
    return html.unescape(strip_tags(rich or "").replace("\xa0", " "))


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of ``text`` around the first query term, HTML-escaped, with every term wrapped in
    ``<mark>``. Without a match, the start of the text."""
    if not text:
        return mark_safe("")
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    if not pattern:
        return mark_safe(escape(prefix + window + suffix))
    out, last = [], 0
    for found in pattern.finditer(window):
        out.append(escape(window[last:found.start()]))
        out.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    out.append(escape(window[last:]))
    return mark_safe(escape(prefix) + "".join(out) + escape(suffix))
