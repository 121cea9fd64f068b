"""Registers the Teams admin for staff: the lists (:mod:`webinars.viewsets`), their staff-only
permission policies and the two actions (:mod:`webinars.admin_views`)."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from academy.core.permissions import StaffPermissionPolicy
from academy.courses.operations import CourseTab, course_operations_tabs

from . import admin_views
from .viewsets import POLICIES, TeamsViewSetGroup

for _model, _actions in POLICIES.items():
    register_permission_policy(_model, StaffPermissionPolicy(_model, _actions))


@hooks.register("register_admin_viewset")
def register_teams_viewsets():
    return TeamsViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("teams/session/<int:session_id>/import-attendance/", admin_views.import_session_attendance,
             name="webinars_teams_import"),
        path("teams/unmatched/<int:pk>/resolve/", admin_views.resolve, name="webinars_teams_resolve"),
    ]


@receiver(course_operations_tabs, dispatch_uid="webinars.course_tab")
def register_course_tab(sender, **kwargs) -> CourseTab:
    return CourseTab("teams", _("Teams"), 400, "webinars/admin/course_tab.html", admin_views.course_tab)
