"""Registers funded training's admin: the plans, the inspector lists, the staff actions, one menu."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from academy.core.permissions import StaffMenuItem

from . import admin_views
from .viewsets import FundedPlanViewSet, InspectorAccessLogViewSet, InspectorAccessViewSet

plan_viewset = FundedPlanViewSet("funding_plans")
inspector_viewset = InspectorAccessViewSet("funding_inspectors")
log_viewset = InspectorAccessLogViewSet("funding_inspector_log")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [plan_viewset, inspector_viewset, log_viewset]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/funding/plan/<int:plan_id>/files/", admin_views.plan_files, name="funding_plan_files"),
        path("academy/funding/plan/<int:plan_id>/inspector/", admin_views.new_inspector, name="funding_new_inspector"),
    ]


funding_menu = Menu(register_hook_name="register_funding_menu_item", construct_hook_name=None)


@hooks.register("register_funding_menu_item")
def register_plans_item():
    return StaffMenuItem(_("Funded plans"), reverse("funding_plans:index"), icon_name="folder-open-inverse", order=100)


@hooks.register("register_funding_menu_item")
def register_inspectors_item():
    return StaffMenuItem(_("Inspector accesses"), reverse("funding_inspectors:index"), icon_name="view", order=200)


@hooks.register("register_funding_menu_item")
def register_log_item():
    return StaffMenuItem(_("Inspector access log"), reverse("funding_inspector_log:index"), icon_name="list-ul",
                         order=300)


@hooks.register("register_admin_menu_item")
def register_funding_menu():
    return SubmenuMenuItem(_("Funded training"), funding_menu, icon_name="folder-open-inverse", order=260)
