"""Registers the staff screens for registrations (``admin_views``) in the Wagtail admin."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from academy.core.permissions import StaffPermissionPolicy
from academy.courses.operations import CourseTab, course_operations_tabs

from . import admin_views
from .admin_views import RegistrationViewSet
from .models import Registration

register_permission_policy(Registration, StaffPermissionPolicy(Registration))


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return RegistrationViewSet("academy_registrations")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/registrations/course/<int:course_id>/", admin_views.course_registrations,
             name="academy_course_registrations"),
        path("academy/registrations/r/<int:pk>/<str:action>/", admin_views.registration_action,
             name="academy_registration_action"),
    ]


@receiver(course_operations_tabs, dispatch_uid="registrations.course_tab")
def register_course_tab(sender, **kwargs) -> CourseTab:
    return CourseTab("registrations", _("Registrations"), 100, "registrations/admin/course_tab.html",
                     admin_views.course_tab)
