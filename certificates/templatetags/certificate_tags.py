"""``{% my_certificates person as certificates %}`` for the My Academy page."""

from __future__ import annotations

from django import template

from certificates.models import Certificate

register = template.Library()


@register.simple_tag
def my_certificates(person) -> list[Certificate]:
    if person is None:
        return []
    return list(Certificate.objects.filter(person=person).select_related("course").order_by("-issued_at"))
