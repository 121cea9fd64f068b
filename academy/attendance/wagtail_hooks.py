"""Registers the attendance tab of the course-operations screen (``academy.courses.operations``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from academy.courses.operations import CourseTab

from .admin_views import course_tab


@hooks.register("register_course_operations_tab")
def register_course_tab():
    return CourseTab("attendance", _("Attendance"), 200, "attendance/admin/course_tab.html", course_tab)
