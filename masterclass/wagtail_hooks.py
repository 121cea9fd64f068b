"""Wagtail admin registrations of the masterclass app (the screens are in ``viewsets``)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Application
from .viewsets import StaffMayView, applications_viewset

register_permission_policy(Application, StaffMayView(Application))


@hooks.register("register_admin_viewset")
def register_applications_viewset():
    return applications_viewset
