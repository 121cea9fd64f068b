"""The course-operations screen's tabs, contributed by the apps above ``courses``.

One staff screen per course gathers what the office does with it (registrations, attendance,
certificates, Teams). ``courses`` cannot import those apps, so each answers the
``course_operations_tabs`` signal from its own ``wagtail_hooks.py`` (imported by the app's ``ready``)
with a :class:`CourseTab`; the tab's actions stay the app's existing small views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal
from django.http import HttpRequest
from django.urls import reverse

from .models import CoursePage

#: Sent with no arguments; each receiver returns its app's ``CourseTab``.
course_operations_tabs = Signal()


@dataclass(frozen=True)
class CourseTab:
    """One tab: ``context(request, course)`` returns what ``template`` needs (``course`` is canonical)."""

    key: str
    label: str
    order: int
    template: str
    context: Callable[[HttpRequest, CoursePage], dict[str, Any]]


def tabs() -> list[CourseTab]:
    """The contributed tabs in their order."""
    answers = course_operations_tabs.send(sender=CourseTab)
    return sorted((tab for _receiver, tab in answers), key=lambda tab: (tab.order, tab.key))


def operations_url(course_id: int, tab: str | None = None) -> str:
    """Where a tab of a course's operations screen lives (actions redirect back here)."""
    url = reverse("academy_course_operations", args=[int(course_id)])
    return f"{url}?tab={tab}" if tab else url
