"""Site views for masterclasses: apply.

Views parse input, check who is asking and render; every rule is in ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ApplicationForm
from .models import MasterclassPage


@login_required
@require_POST
def apply(request, page_id: int):
    page = get_object_or_404(MasterclassPage.objects.live().public(), pk=page_id)
    state = services.application_state(request.user, page)
    form = ApplicationForm(request.POST, person=state.person)
    if state.can_apply and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_application(
                state.person, page, role=data["role"], motivation=data["motivation"],
                endorser_name=data["endorser_name"], endorser_email=data["endorser_email"],
                organisation=data["organisation"],
            )
        except services.ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you: your application has been received. We will tell you "
                                        "the outcome by e-mail."))
            return redirect(page.url)
    elif not state.can_apply:
        messages.error(request, state.reason or _("You cannot apply to this masterclass."))
        return redirect(page.url)
    context = page.get_context(request)
    context["application_form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=400)
