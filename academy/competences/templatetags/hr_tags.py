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
from ..mandatory import DUE, LAPSED, OVERDUE

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
        parts = []
        if row.missing:
            parts.append(f"{labels[MISSING]}: " + ", ".join(r.requirement.label for r in row.missing))
        if row.expiring:
            parts.append(f"{labels[EXPIRING]}: " + ", ".join(
                f"{r.requirement.label} ({r.expires_on:%d/%m/%Y})" for r in row.expiring))
        parts.extend(obligation_text(o) for o in row.obligations if o.needs_action)
        table.append((row, hours, "; ".join(parts) or labels[row.status]))
    return {"rows": table, "url_before": url_before, "url_after": url_after}


def obligation_text(result) -> str:
    """One mandatory-training status as a sentence: "Formazione preposti: due by 10/01/2027, 6 h missing"."""
    values = {"title": result.obligation.title, "hours": format_hours(result.hours_missing),
              "date": f"{result.due_on:%d/%m/%Y}" if result.due_on else ""}
    if getattr(result.obligation, "is_ecm", False):
        if result.status == DUE:
            return _("%(title)s: %(hours)s credits missing by %(date)s") % values
        return _("%(title)s: %(done)s of %(required)s credits by %(date)s") % {
            **values, "done": format_hours(result.hours_done), "required": format_hours(result.hours_required)}
    if result.status == OVERDUE:
        return _("%(title)s: overdue, %(hours)s h missing") % values
    if result.status == LAPSED:
        return _("%(title)s: lapsed on %(date)s, %(hours)s h missing") % values
    if result.status == DUE:
        return _("%(title)s: due by %(date)s, %(hours)s h missing") % values
    return _("%(title)s: compliant") % values


@register.simple_tag
def obligation_status(result) -> str:
    return obligation_text(result)
