"""The course-operations screen's tabs, contributed by the apps above ``courses``.

One staff screen per course gathers what the office does with it (registrations, attendance,
certificates, Teams). ``courses`` cannot import those apps, so each registers its tab from its own
``wagtail_hooks.py`` with the ``register_course_operations_tab`` hook, returning a :class:`CourseTab`;
the tab's actions stay the app's existing small views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from wagtail import hooks

from .models import CoursePage

HOOK = "register_course_operations_tab"


@dataclass(frozen=True)
class CourseTab:
    """One tab: ``context(request, course)`` returns what ``template`` needs (``course`` is canonical)."""

    key: str
    label: str
    order: int
    template: str
    context: Callable[[HttpRequest, CoursePage], dict[str, Any]]


def tabs() -> list[CourseTab]:
    """The registered tabs in their order."""
    return sorted((fn() for fn in hooks.get_hooks(HOOK)), key=lambda tab: (tab.order, tab.key))


def operations_url(course_id: int, tab: str | None = None) -> str:
    """Where a tab of a course's operations screen lives (actions redirect back here)."""
    url = reverse("academy_course_operations", args=[int(course_id)])
    return f"{url}?tab={tab}" if tab else url
