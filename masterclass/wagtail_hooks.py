"""Wagtail admin registrations of the masterclass app (the screens are in ``viewsets``)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from academy.core.permissions import StaffPermissionPolicy

from .models import Application
from .viewsets import applications_viewset

register_permission_policy(Application, StaffPermissionPolicy(Application))


@hooks.register("register_admin_viewset")
def register_applications_viewset():
    return applications_viewset
