"""Staff admin screens of the courses layer: the list of courses and one course's operations, whose
tabs the apps above contribute (:mod:`academy.courses.operations`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Locale

from academy.core.permissions import require_staff

from .models import CoursePage
from .operations import operations_url, tabs


def course_list(request):
    """Courses, most recent first: where each course's operations start."""
    require_staff(request)
    courses = (CoursePage.objects.filter(locale=Locale.get_default(), first_starts_at__isnull=False)
               .order_by("-first_starts_at")[:200])
    return TemplateResponse(request, "courses/admin/courses.html", {
        "page_title": _("Course operations"), "header_icon": "date", "courses": courses})


def course_operations(request, course_id: int):
    """One course with a tab per app; only the selected tab's data is loaded."""
    require_staff(request)
    course = get_object_or_404(CoursePage, pk=course_id).specific.canonical
    available = tabs()
    if not available:
        raise Http404
    key = request.GET.get("tab") or available[0].key
    active = next((tab for tab in available if tab.key == key), None)
    if active is None:
        raise Http404
    return TemplateResponse(request, "courses/admin/operations.html", {
        "page_title": _("Course operations"), "page_subtitle": course.title, "header_icon": "date",
        "course": course, "active": active, "tab_template": active.template,
        "tab_links": [(tab, operations_url(course.pk, tab.key)) for tab in available],
        **active.context(request, course),
    })
