"""Template filters over ``academy.core.formats``: ``{{ when|long_date:"l j F Y" }}``, ``{{ h|hours }}``,
``{{ share|percent }}``."""

from __future__ import annotations

from django import template

from academy.core import formats

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value, fmt: str = "j F Y") -> str:
    return formats.long_date(value, fmt)


@register.filter
def hours(value) -> str:
    return formats.hours(value)


@register.filter
def percent(value, decimals: int = 1) -> str:
    return formats.percent(value, decimals)
