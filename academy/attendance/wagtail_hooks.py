"""Registers the attendance tab of the course-operations screen (``academy.courses.operations``)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from academy.courses.operations import CourseTab, course_operations_tabs

from .admin_views import course_tab


@receiver(course_operations_tabs, dispatch_uid="attendance.course_tab")
def register_course_tab(sender, **kwargs) -> CourseTab:
    return CourseTab("attendance", _("Attendance"), 200, "attendance/admin/course_tab.html", course_tab)
