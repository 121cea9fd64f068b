"""Small presentation helpers for course listings."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _

from academy.core.formats import long_date
from academy.courses.catalogue import course_kind as _course_kind

register = template.Library()


def _kind_labels() -> dict[str, str]:
    return {"webinar": _("Webinar"), "masterclass": _("Masterclass")}


@register.filter
def course_kind(course) -> str:
    return _course_kind(course)


@register.filter
def kind_label(kind: str) -> str:
    return _kind_labels().get(kind, kind)


@register.filter
def course_kind_label(course) -> str:
    return kind_label(_course_kind(course))


@register.filter
def month_label(month: str) -> str:
    year, mon = (int(x) for x in month.split("-"))
    return long_date(datetime.date(year, mon, 1), "F Y")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Where the language switcher sends each language: the page's own translation (its slug differs
    per language), otherwise the same URL under the other language prefix; the query string is kept."""
    from django.conf import settings
    from django.urls import translate_url
    from wagtail.models import Page

    request = context.get("request")
    if request is None:
        return [{"code": code, "name": name, "url": f"/{code}/"} for code, name in settings.LANGUAGES]
    page = context.get("page")
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            translation = page.get_translations(inclusive=True).live().filter(locale__language_code=code).first()
            if translation is not None:
                url = translation.get_url(request)
                if url and query:
                    url = f"{url}?{query}"
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url})
    return links


@register.filter
def hours_label(value) -> str:
    """"1 ora", "1,5 ore", "2 ore": the count in the active locale's format with the right plural (a
    fractional count takes the plural, which ``ngettext`` cannot be given directly)."""
    from django.utils.translation import ngettext

    from academy.core.formats import hours

    if value in (None, ""):
        return ""
    number = hours(value)
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if float(value) == 1 else 2) % {"hours": number}
