"""The dashboard's people table as an inclusion tag: the markup lives in ``hr/_people_rows.html``; the
tag only does once per table what would otherwise be done once per row (reversing the person URL,
translating the status labels, formatting each distinct number of hours) and writes each person's
requirements cell as plain text, which the template escapes."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from academy.core.formats import hours as format_hours

from ..compliance import COMPLIANT, EXPIRING, MISSING

register = template.Library()

_MARKER = 2147483647


@register.inclusion_tag("hr/_people_rows.html")
def people_rows(rows):
    url_before, url_after = reverse("hr:person", args=[_MARKER]).split(str(_MARKER))
    labels = {MISSING: _("Missing"), EXPIRING: _("Expiring"), COMPLIANT: _("Compliant")}
    hours_text: dict = {}
    table = []
    for row in rows:
        hours = hours_text.get(row.hours)
        if hours is None:
            hours = hours_text[row.hours] = format_hours(row.hours)
        if row.status == MISSING:
            detail = f"{labels[MISSING]}: " + ", ".join(r.requirement.label for r in row.missing)
        elif row.status == EXPIRING:
            detail = f"{labels[EXPIRING]}: " + ", ".join(
                f"{r.requirement.label} ({r.expires_on:%d/%m/%Y})" for r in row.expiring)
        else:
            detail = labels[row.status]
        table.append((row, hours, detail))
    return {"rows": table, "url_before": url_before, "url_after": url_after}
