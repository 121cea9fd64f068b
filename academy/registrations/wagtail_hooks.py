"""Registers the staff screens for registrations (``admin_views``) in the Wagtail admin."""

from __future__ import annotations

from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from academy.core.permissions import StaffPermissionPolicy

from .admin_views import RegistrationViewSet, course_registrations, registration_action
from .models import Registration

register_permission_policy(Registration, StaffPermissionPolicy(Registration))


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return RegistrationViewSet("academy_registrations")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/registrations/course/<int:course_id>/", course_registrations,
             name="academy_course_registrations"),
        path("academy/registrations/r/<int:pk>/<str:action>/", registration_action,
             name="academy_registration_action"),
    ]
