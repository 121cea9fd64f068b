"""Wagtail admin registrations of the masterclass app (the screens are in ``viewsets``)."""

from wagtail import hooks

from .viewsets import applications_viewset


@hooks.register("register_admin_viewset")
def register_applications_viewset():
    return applications_viewset
