"""The Wagtail admin of funded training, for the Academy office only: plans (edited here: they are
configuration, not records), inspector accesses and their log (read-only; accesses are created by
``services.inspectors.create_inspector`` through ``admin_views.new_inspector``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import StaffModelPermissionPolicy, StaffPermissionPolicy

from .models import FundedPlan, InspectorAccess, InspectorAccessLog

register_permission_policy(FundedPlan, StaffModelPermissionPolicy(FundedPlan))
register_permission_policy(InspectorAccess, StaffPermissionPolicy(InspectorAccess))
register_permission_policy(InspectorAccessLog, StaffPermissionPolicy(InspectorAccessLog))


class FundedPlanViewSet(TranslatedExportViewSet, ModelViewSet):
    model = FundedPlan
    icon = "folder-open-inverse"
    menu_label = _("Funded plans")
    url_prefix = "academy/funding/plans"
    url_namespace = "funding_plans"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["plan_code", "title", "fund", "starts_on", "ends_on", "minimum_attendance",
                    TitleColumn("registers", label=_("Registers and declaration"), url_name="funding_plan_files",
                                accessor=lambda plan: _("Registers"))]
    list_filter = ["fund", "starts_on"]
    list_export = ["fund", "call_code", "protocol_code", "plan_code", "project_code", "title", "proposer",
                   "responsible_name", "minimum_attendance", "starts_on", "ends_on", "retention_years"]
    export_filename = "funded-plans"
    search_fields = ["title", "plan_code", "project_code", "call_code"]
    ordering = ["-starts_on"]
    panels = [
        MultiFieldPanel([FieldPanel("fund"), FieldPanel("title"),
                         FieldRowPanel([FieldPanel("call_code"), FieldPanel("protocol_code")]),
                         FieldRowPanel([FieldPanel("plan_code"), FieldPanel("project_code")]),
                         FieldPanel("proposer")], heading=_("Plan")),
        MultiFieldPanel([FieldPanel("responsible_name"), FieldPanel("responsible_role"),
                         FieldRowPanel([FieldPanel("responsible_fiscal_code"), FieldPanel("responsible_email")]),
                         FieldPanel("responsible_user")], heading=_("Responsible person")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                         FieldPanel("minimum_attendance"), FieldPanel("retention_years"), FieldPanel("courses")],
                        heading=_("Courses and rules")),
    ]


class InspectorAccessViewSet(TranslatedExportViewSet, ModelViewSet):
    model = InspectorAccess
    icon = "view"
    menu_label = _("Inspector accesses")
    url_prefix = "academy/funding/inspectors"
    url_namespace = "funding_inspectors"
    add_to_admin_menu = False
    copy_view_enabled = False
    exclude_form_fields = []
    list_display = ["name", "body", "plan", "valid_from", "valid_until", "revoked_at"]
    list_filter = ["plan"]
    list_export = ["name", "body", "plan", "user", "valid_from", "valid_until", "revoked_at", "created_by"]
    export_filename = "inspector-accesses"
    ordering = ["-valid_from"]


class InspectorAccessLogViewSet(TranslatedExportViewSet, ModelViewSet):
    model = InspectorAccessLog
    icon = "list-ul"
    menu_label = _("Inspector access log")
    url_prefix = "academy/funding/inspector-log"
    url_namespace = "funding_inspector_log"
    add_to_admin_menu = False
    copy_view_enabled = False
    exclude_form_fields = []
    list_display = ["at", "access", "path", "session"]
    list_filter = ["access__plan"]
    list_export = ["at", "access", "path", "session"]
    export_filename = "inspector-access-log"
    ordering = ["-at"]
