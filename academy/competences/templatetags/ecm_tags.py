"""ECM progress of a health professional in the current three-year cycle, for My Academy (a template
of ``academy.registrations``, which cannot import this layer: templates load tag libraries by name)."""

from __future__ import annotations

from django import template

from academy.obligations.rules import ecm_cycle

from ..mandatory import person_obligations

register = template.Library()


@register.inclusion_tag("hr/_ecm_progress.html")
def ecm_progress(person):
    if person is None:
        return {"ecm": []}
    rows = []
    for result in person_obligations(person):
        if not result.obligation.is_ecm:
            continue
        start, end = ecm_cycle(result.due_on)
        share = min(100, round(100 * float(result.hours_done) / float(result.hours_required))) \
            if result.hours_required else 100
        rows.append({"result": result, "start": start.year, "end": end.year, "share": share})
    return {"ecm": rows}
