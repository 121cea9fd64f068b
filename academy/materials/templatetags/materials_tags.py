"""``{% course_materials page as materials %}``: the materials of a course page that the visitor may
see, so course pages (webinars, masterclasses) show them without importing this app."""

from __future__ import annotations

from django import template

from academy.materials import services

register = template.Library()


@register.simple_tag(takes_context=True)
def course_materials(context, page) -> list:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return services.visible_materials(user, page.canonical)
