"""A person's own compliance for My Academy — their legal obligations and their organisation's
requirements, with ECM progress in the current three-year cycle — from the one engine (a template of
``academy.registrations``, which cannot import this layer: templates load tag libraries by name)."""

from __future__ import annotations

from django import template

from academy.obligations.rules import ecm_cycle

from ..engine import CREDITS, person_compliance

register = template.Library()


@register.inclusion_tag("hr/_my_compliance.html")
def my_compliance(person):
    if person is None:
        return {"items": [], "ecm": []}
    answer = person_compliance(person)
    ecm = []
    for item in answer.items:
        if item.unit != CREDITS:
            continue
        start, end = ecm_cycle(item.deadline)
        required = item.result.hours_required
        share = min(100, round(100 * float(item.result.hours_done) / float(required))) if required else 100
        ecm.append({"item": item, "start": start.year, "end": end.year, "share": share})
    return {"items": [i for i in answer.items if i.unit != CREDITS], "ecm": ecm, "status": answer.status}
