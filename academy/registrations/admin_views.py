"""Staff screens for registrations in the Wagtail admin: one declarative list (filter by course and
status, search, CSV/XLSX export) and small action views that call the registration services."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import require_staff
from academy.courses.operations import operations_url

from . import services
from .models import Registration

ACTIONS = {"promote": gettext_lazy("Promote"), "approve": gettext_lazy("Approve"),
           "cancel": gettext_lazy("Cancel")}



class ActionsColumn(Column):
    """Links to the action views that apply to this registration's status."""

    cell_template_name = "registrations/admin/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["actions"] = [(reverse("academy_registration_action", args=[instance.pk, name]), ACTIONS[name])
                              for name in actions_for(instance)]
        return context


def actions_for(registration: Registration) -> list[str]:
    Status = Registration.Status
    names = {Status.PENDING: ["approve"], Status.WAITING: ["promote"]}.get(registration.status, [])
    return names + (["cancel"] if registration.status != Status.CANCELLED else [])


class RegistrationViewSet(TranslatedExportViewSet, ModelViewSet):
    model = Registration
    icon = "group"
    menu_label = gettext_lazy("Registrations")
    menu_order = 240
    add_to_admin_menu = True
    url_prefix = "academy/registrations"
    url_namespace = "academy_registrations"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["consent_version"]  # no one may add or edit (see the staff permission policy): changes are services
    list_display = ["person", "course", "status", "created_at", ActionsColumn("actions", label=gettext_lazy("Actions"))]
    list_filter = ["course", "status"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "course__title"]
    # Headings are the fields' translated names (academy.core.exports).
    list_export = ["pk", "course.title", "person.first_name", "person.last_name", "person.email",
                   "person.organisation", "person.job_role", "status", "created_at", "cancelled_at",
                   "consent_version", "consent_at"]
    export_filename = "registrations"
    ordering = ["course", "status", "created_at", "pk"]

    def get_queryset(self, request):
        return Registration.objects.select_related("course", "person__organisation")


@require_http_methods(["GET", "POST"])
def registration_action(request, pk: int, action: str):
    """Confirm (GET) and run (POST) one staff action on a registration through the services."""
    require_staff(request)
    registration = get_object_or_404(Registration.objects.select_related("person", "course"), pk=pk)
    if action not in ACTIONS:
        raise Http404
    back = operations_url(registration.course_id, "registrations")
    if request.method == "GET":
        return TemplateResponse(request, "registrations/admin/action.html", {
            "page_title": ACTIONS[action], "header_icon": "group", "registration": registration,
            "action": action, "back": back})
    try:
        if action == "promote":
            services.promote(registration, by=request.user, force=request.POST.get("force") == "1")
        elif action == "approve":
            services.approve(registration, by=request.user)
        else:
            services.cancel(registration, by=request.user, note=request.POST.get("note", ""))
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(person)s: done.") % {"person": registration.person.full_name})
    return redirect(back)


def course_registrations(request, course_id: int):
    """The former per-course screen: now the registrations tab of the course's operations."""
    require_staff(request)
    return redirect(operations_url(course_id, "registrations"))


def course_tab(request, course) -> dict:
    """The registrations tab of a course's operations: everyone registered, with their actions."""
    registrations = list(Registration.objects.filter(course=course).select_related("person__organisation")
                         .order_by("status", "created_at", "pk"))
    counts = Counter(r.status for r in registrations)
    return {
        "registrations": [(r, [(reverse("academy_registration_action", args=[r.pk, name]), ACTIONS[name])
                               for name in actions_for(r)]) for r in registrations],
        "status_counts": [(label, counts.get(value, 0)) for value, label in Registration.Status.choices],
        "list_url": f"{reverse('academy_registrations:index')}?course={course.pk}",
    }
