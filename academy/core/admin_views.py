"""The outbox in the Wagtail admin (staff only): every message with its status and last error, filters
and export, and a requeue action for messages that failed or were given up on."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from . import outbox
from .models import OutboxMessage
from .outbox_alerts import undelivered
from .permissions import is_staff, require_staff


class RequeueColumn(Column):
    cell_template_name = "core/admin/requeue_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = (reverse("academy_outbox_requeue", args=[instance.pk])
                          if instance.status != OutboxMessage.Status.SENT else "")
        return context


class OutboxViewSet(ModelViewSet):
    model = OutboxMessage
    icon = "mail"
    menu_label = gettext_lazy("Outgoing e-mails")
    menu_order = 900
    add_to_settings_menu = True
    url_prefix = "academy/outbox"
    url_namespace = "academy_outbox"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["to"]  # nobody adds or edits (StaffPermissionPolicy: staff view and export only)
    list_display = ["to", "subject", "status", "attempts", "next_attempt_at", "created_at", "sent_at",
                    RequeueColumn("requeue", label=gettext_lazy("Requeue"))]
    list_filter = ["status", "staff_alerted"]
    search_fields = ["to", "subject", "key"]
    list_export = ["pk", "key", "to", "subject", "status", "attempts", "last_error", "next_attempt_at",
                   "created_at", "sent_at"]
    export_filename = "outbox"
    ordering = ["-created_at"]


@require_http_methods(["GET", "POST"])
def requeue(request, pk: int):
    """Confirm (GET) and requeue (POST) one failed or undelivered message."""
    require_staff(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    back = reverse("academy_outbox:index")
    if request.method == "GET":
        return TemplateResponse(request, "core/admin/requeue.html", {
            "page_title": gettext_lazy("Requeue"), "header_icon": "mail", "message": message, "back": back})
    count = outbox.requeue([message.pk])
    messages.success(request, ngettext("%(count)d e-mail requeued.", "%(count)d e-mails requeued.", count)
                     % {"count": count})
    return redirect(back)


class UndeliveredPanel(Component):
    """On the admin dashboard, for staff: how many e-mails were given up on."""

    name = "academy_undelivered_email"
    order = 50
    template_name = "core/admin/undelivered_panel.html"

    def get_context_data(self, parent_context):
        return {"count": undelivered().count(),
                "url": reverse("academy_outbox:index") + "?status=undelivered"}


def homepage_panels(request, panels) -> None:
    if is_staff(request.user) and undelivered().exists():
        panels.append(UndeliveredPanel())
