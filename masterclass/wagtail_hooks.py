"""Wagtail admin: staff review applications per masterclass (accept / waiting list /
reject). Decisions go through ``services.decide_application``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Locale

from . import services
from .forms import DecisionForm
from .models import Application, MasterclassPage

PERMISSION = "masterclass.change_application"


def _require(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def applications_index(request):
    """Applications of one masterclass (chosen in a select), filterable by status."""
    _require(request)
    masterclasses = list(MasterclassPage.objects.filter(locale=Locale.get_default()).annotate(
        n_submitted=Count("applications", filter=Q(applications__status=Application.Status.SUBMITTED)),
    ).order_by("-first_starts_at"))
    selected = None
    course_id = request.GET.get("course")
    if course_id and course_id.isdigit():
        selected = next((m for m in masterclasses if m.pk == int(course_id)), None)
    elif masterclasses:
        selected = masterclasses[0]
    status = request.GET.get("status", "")
    applications = Application.objects.none()
    if selected is not None:
        applications = (Application.objects.filter(course=selected)
                        .select_related("person", "organisation", "decided_by").order_by("created_at"))
        if status in Application.Status.values:
            applications = applications.filter(status=status)
    page = Paginator(applications, 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "masterclass/admin/applications.html", {
        "page_title": _("Applications"), "header_icon": "form",
        "masterclasses": masterclasses, "selected": selected, "status": status,
        "statuses": Application.Status.choices, "applications": page, "decision_form": DecisionForm(),
    })


@require_POST
def decide(request, pk: int):
    _require(request)
    application = get_object_or_404(Application, pk=pk)
    form = DecisionForm(request.POST)
    back = reverse("masterclass_applications") + f"?course={application.course_id}"
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect(back)
    try:
        application = services.decide_application(application, form.cleaned_data["decision"], request.user,
                                                  note=form.cleaned_data["note"])
    except services.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(person)s: %(status)s. The applicant has been notified by e-mail.") % {
            "person": application.person.full_name, "status": application.get_status_display()})
    return redirect(back)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("masterclass/applications/", applications_index, name="masterclass_applications"),
        path("masterclass/applications/<int:pk>/decide/", decide, name="masterclass_application_decide"),
    ]


class ApplicationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ApplicationsMenuItem(gettext_lazy("Applications"), reverse("masterclass_applications"),
                                icon_name="form", order=250)
