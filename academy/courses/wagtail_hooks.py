"""Registers the courses layer's staff screens: the course list and the course-operations view."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from academy.core.permissions import StaffMenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/courses/", admin_views.course_list, name="academy_course_list"),
        path("academy/courses/<int:course_id>/", admin_views.course_operations, name="academy_course_operations"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return StaffMenuItem(_("Course operations"), reverse("academy_course_list"), icon_name="date", order=230)
