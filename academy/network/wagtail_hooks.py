"""Registers the network's Wagtail admin screens (defined in ``admin_views``)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from academy.core.permissions import StaffMenuItem, StaffModelPermissionPolicy, StaffPermissionPolicy

from . import admin_views
from .models import HROfficer, MembershipRequest, Organisation, Person
from .sso import admin_views as sso_admin_views

for _model in (Organisation, Person, HROfficer):
    register_permission_policy(_model, StaffModelPermissionPolicy(_model))
register_permission_policy(MembershipRequest, StaffPermissionPolicy(MembershipRequest))
register_snippet(admin_views.NetworkGroup)


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return admin_views.MembershipRequestViewSet("membership_requests")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/membership/", admin_views.membership_requests, name="academy_membership_requests"),
        path("academy/membership/<int:pk>/decide/", admin_views.decide_membership,
             name="academy_membership_decide"),
        path("academy/roster-claims/", admin_views.roster_claims, name="academy_roster_claims"),
        path("academy/roster-claims/<int:pk>/decide/", admin_views.decide_roster_claim,
             name="academy_roster_claim_decide"),
        path("academy/import/organisations/", admin_views.import_view, {"what": "organisations"},
             name="academy_import_organisations"),
        path("academy/import/roster/", admin_views.import_view, {"what": "roster"},
             name="academy_import_roster"),
        path("academy/tenants/", sso_admin_views.tenant_list, name="academy_tenants"),
        path("academy/tenants/<int:pk>/decide/", sso_admin_views.decide_tenant, name="academy_tenant_decide"),
    ]


@hooks.register("register_admin_menu_item")
def register_membership_menu_item():
    return StaffMenuItem(gettext_lazy("Membership requests"), reverse("academy_membership_requests"),
                         icon_name="user", order=231)


@hooks.register("register_admin_menu_item")
def register_roster_claims_menu_item():
    return StaffMenuItem(gettext_lazy("Roster entries to confirm"), reverse("academy_roster_claims"),
                         icon_name="user", order=234)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return StaffMenuItem(gettext_lazy("Import organisations / rosters"), reverse("academy_import_organisations"),
                         icon_name="upload", order=232)


@hooks.register("register_admin_menu_item")
def register_tenants_menu_item():
    return StaffMenuItem(gettext_lazy("Microsoft tenants"), reverse("academy_tenants"), icon_name="key", order=235)
