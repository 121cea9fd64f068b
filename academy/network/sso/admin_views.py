"""Staff register, confirm and remove organisations' Microsoft tenants (Wagtail admin, staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.core.permissions import require_staff

from ..models import EntraTenant, Organisation
from . import tenants
from .views import submit_tenant


def tenant_list(request):
    """Every registration (proposed ones first), and a form to register one for an organisation."""
    require_staff(request)
    if request.method == "POST":
        submit_tenant(request, Organisation.objects.all(),
                      success=_("Tenant registered: sign-ins from it now make people members."))
        return redirect("academy_tenants")
    rows = EntraTenant.objects.select_related("organisation", "proposed_by", "decided_by").order_by(
        "status", "organisation__name")
    return TemplateResponse(request, "accounts/admin/tenants.html", {
        "page_title": _("Microsoft tenants"), "header_icon": "key", "rows": rows[:500],
        "organisations": Organisation.objects.all()})


@require_POST
def decide_tenant(request, pk: int):
    require_staff(request)
    row = get_object_or_404(EntraTenant, pk=pk)
    try:
        if request.POST.get("decision") == "confirm":
            tenants.confirm_tenant(row, by=request.user)
        else:
            tenants.remove_tenant(row, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("academy_tenants")
