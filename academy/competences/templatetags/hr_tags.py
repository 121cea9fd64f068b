"""The dashboard's people table as an inclusion tag: the markup lives in ``hr/_people_rows.html``; the
tag only does once per table what would otherwise be done once per row (reversing the person URL,
translating the status labels, formatting each distinct number of hours) and writes each person's
obligations and requirements cell as plain text (the engine's ``item_text``), which the template escapes."""

from __future__ import annotations

from django import template
from django.urls import reverse

from academy.core.formats import hours as format_hours

from ..engine import STATUSES, item_text, status_label

register = template.Library()

_MARKER = 2147483647


@register.inclusion_tag("hr/_people_rows.html")
def people_rows(rows):
    url_before, url_after = reverse("hr:person", args=[_MARKER]).split(str(_MARKER))
    labels = {status: status_label(status) for status in STATUSES}
    hours_text: dict = {}
    table = []
    for row in rows:
        hours = hours_text.get(row.hours)
        if hours is None:
            hours = hours_text[row.hours] = format_hours(row.hours)
        detail = "; ".join(item_text(i) for i in row.to_act)
        table.append((row, hours, labels[row.status], detail))
    return {"rows": table, "url_before": url_before, "url_after": url_after}


@register.simple_tag
def item_status(item) -> str:
    return status_label(item.status)


@register.simple_tag
def item_sentence(item) -> str:
    return item_text(item)


@register.simple_tag
def missing_text(item) -> str:
    """Hours (or credits) missing with their unit, "—" for a requirement (it has no hours)."""
    from django.utils.translation import gettext as _

    if item.missing is None:
        return "—"
    amount = format_hours(item.missing)
    return _("%(n)s credits") % {"n": amount} if item.unit == "credits" else _("%(n)s h") % {"n": amount}
