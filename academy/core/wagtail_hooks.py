"""Registers the outbox's staff screens (``admin_views``) in the Wagtail admin."""

from __future__ import annotations

from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import OutboxViewSet, homepage_panels, requeue
from .models import OutboxMessage
from .permissions import StaffPermissionPolicy

register_permission_policy(OutboxMessage, StaffPermissionPolicy(OutboxMessage))
hooks.register("construct_homepage_panels", homepage_panels)


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet("academy_outbox")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("academy/outbox/<int:pk>/requeue/", requeue, name="academy_outbox_requeue")]
