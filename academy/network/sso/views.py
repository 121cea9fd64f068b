"""An HR officer proposes their organisation's Microsoft tenant (staff confirm it in the admin); the
tenant form itself, shared with the office's page (``admin_views.tenant_list``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import EntraTenant, Organisation
from . import tenants


def submit_tenant(request, organisations: QuerySet[Organisation], *, success: str) -> None:
    """Register (staff) or propose (HR officer) the posted tenant for one of ``organisations``; the
    outcome, or what is wrong with the input, goes to the messages."""
    chosen = request.POST.get("organisation", "")
    organisation = organisations.filter(pk=chosen).first() if chosen.isdigit() else None
    try:
        if organisation is None:
            raise ValidationError(_("Choose an organisation."))
        tenants.propose_tenant(organisation, request.POST.get("tenant_id", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    organisations = Organisation.objects.managed_by(request.user)
    if not organisations.exists():
        raise PermissionDenied
    if request.method == "POST":
        submit_tenant(request, organisations, success=_("Thank you: the Academy staff will confirm the tenant."))
        return redirect("accounts:tenants")
    rows = EntraTenant.objects.filter(organisation__in=organisations).select_related("organisation")
    return render(request, "accounts/tenants.html", {"organisations": organisations, "rows": rows})
