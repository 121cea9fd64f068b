"""Declarative Wagtail admin lists of certificates and bulk issue jobs, for the Academy office only.

Both lists are read-only: certificates and jobs change only through ``certificates.services`` (the
actions in ``certificates.admin_views``), never through a generic edit form.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import is_staff

from .models import BulkIssueJob, Certificate


class StaffViewOnlyPolicy(BasePermissionPolicy):
    """The Academy office may list, inspect and export; nobody adds, edits or deletes here."""

    def user_has_permission(self, user, action):
        return action == "view" and is_staff(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_staff(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(Q(is_staff=True) | Q(is_superuser=True)) if "view" in actions else users.none()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


register_permission_policy(Certificate, StaffViewOnlyPolicy(Certificate))
register_permission_policy(BulkIssueJob, StaffViewOnlyPolicy(BulkIssueJob))


class CertificateViewSet(TranslatedExportViewSet, ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    url_prefix = "certificates/list"
    url_namespace = "certificates_list"
    add_to_admin_menu = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = ["code", "person", "course", "status", "version", "hours", "issued_at"]
    list_filter = ["status", "course", "language"]
    list_export = ["code", "person", "course", "status", "version", "hours", "minutes_attended",
                   "first_date", "last_date", "issued_at", "revoked_at", "revoked_reason", "language"]
    export_filename = "certificates"
    search_fields = ["code", "person__first_name", "person__last_name", "person__email"]
    ordering = ["-issued_at"]


class BulkIssueJobViewSet(TranslatedExportViewSet, ModelViewSet):
    model = BulkIssueJob
    icon = "tasks"
    menu_label = _("Bulk issue jobs")
    url_prefix = "certificates/jobs"
    url_namespace = "certificates_jobs"
    add_to_admin_menu = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = ["course", "status", "done", "total", "created", "reissued", "ineligible", "requested_by",
                    "created_at", "finished_at"]
    list_filter = ["status", "course"]
    list_export = ["course", "status", "done", "total", "created", "reissued", "ineligible", "requested_by",
                   "created_at", "started_at", "finished_at", "error"]
    export_filename = "certificate-jobs"
    ordering = ["-created_at"]
