"""An HR officer proposes their organisation's Microsoft tenant (staff confirm it in the admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import EntraTenant, Organisation
from . import tenants


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    organisations = Organisation.objects.managed_by(request.user)
    if not organisations.exists():
        raise PermissionDenied
    if request.method == "POST":
        organisation = organisations.filter(pk=request.POST.get("organisation") or 0).first()
        try:
            if organisation is None:
                raise ValidationError(_("Choose an organisation."))
            tenants.propose_tenant(organisation, request.POST.get("tenant_id", ""), by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: the Academy staff will confirm the tenant."))
        return redirect("accounts:tenants")
    rows = EntraTenant.objects.filter(organisation__in=organisations).select_related("organisation")
    return render(request, "accounts/tenants.html", {"organisations": organisations, "rows": rows})
