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
