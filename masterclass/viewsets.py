"""Wagtail admin for applications: a declarative list (filters, search, export) for the Academy office,
an inspect page with the decision form, and the decision view calling ``services.decide_application``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.viewsets.model import ModelViewSet

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import require_staff

from . import services
from .forms import DecisionForm
from .models import Application


@require_POST
def decide(request, pk: int):
    require_staff(request)
    application = get_object_or_404(Application, pk=pk)
    form = DecisionForm(request.POST)
    back = reverse("masterclass_applications:inspect", args=[application.pk])
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


class ApplicationViewSet(TranslatedExportViewSet, ModelViewSet):
    model = Application
    name = "masterclass_applications"
    url_prefix = "masterclass/applications"
    icon = "form"
    menu_label = gettext_lazy("Applications")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_template_name = "masterclass/admin/application_inspect.html"

    list_display = ["person", "course", "organisation", "status", "created_at"]
    list_filter = ["course", "status"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "role", "endorser_name",
                     "endorser_email"]
    search_backend_name = None
    list_export = ["person", "person.email", "course", "role", "organisation", "motivation", "endorser_name",
                   "endorser_email", "status", "created_at", "decided_by", "decided_at", "note"]
    export_headings = {"person.email": gettext_lazy("E-mail")}
    export_filename = "applications"
    inspect_view_fields = ["person", "course", "role", "organisation", "motivation", "endorser_name",
                           "endorser_email", "status", "created_at", "decided_by", "decided_at", "note"]
    form_fields = ["note"]

    def get_queryset(self, request):
        return Application.objects.select_related("person", "course", "organisation", "decided_by")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("<int:pk>/decide/", decide, name="decide")]


applications_viewset = ApplicationViewSet()
