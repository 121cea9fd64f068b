"""Declarative Wagtail admin lists of certificates and bulk issue jobs, for the Academy office only.

Both lists are read-only: certificates and jobs change only through ``certificates.services`` (the
actions in ``certificates.admin_views``), never through a generic edit form.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import StaffPermissionPolicy

from .models import BulkIssueJob, Certificate

register_permission_policy(Certificate, StaffPermissionPolicy(Certificate))
register_permission_policy(BulkIssueJob, StaffPermissionPolicy(BulkIssueJob))


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
