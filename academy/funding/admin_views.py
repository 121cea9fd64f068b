"""Staff actions on a plan in the Wagtail admin: the downloads page and creating an inspector account."""

from __future__ import annotations

import datetime

from django import forms
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.core.permissions import require_staff

from .models import FundedPlan
from .services import inspectors
from .services.completeness import plan_gaps
from .services.registers import plan_sessions, plan_summary


class InspectorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Inspector's name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail (the login)"))
    body = forms.CharField(label=gettext_lazy("Inspecting body"), max_length=200, required=False)
    valid_from = forms.DateTimeField(label=gettext_lazy("Valid from"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    valid_until = forms.DateTimeField(label=gettext_lazy("Valid until"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def plan_files(request, plan_id: int):
    require_staff(request)
    plan = get_object_or_404(FundedPlan, pk=plan_id)
    return TemplateResponse(request, "funding/admin/plan_files.html", {
        "plan": plan, "sessions": plan_sessions(plan), "inspectors": plan.inspectors.all(),
        "gaps": plan_gaps(plan_summary(plan, viewer=request.user)), "header_title": plan.title})


def new_inspector(request, plan_id: int):
    require_staff(request)
    plan = get_object_or_404(FundedPlan, pk=plan_id)
    created = password = None
    start = timezone.make_aware(datetime.datetime.combine(plan.starts_on, datetime.time(0)))
    end = timezone.make_aware(datetime.datetime.combine(plan.ends_on, datetime.time(23, 59)))
    form = InspectorForm(request.POST or None, initial={"valid_from": start, "valid_until": end})
    if request.method == "POST" and form.is_valid():
        try:
            created, password = inspectors.create_inspector(plan, by=request.user, **form.cleaned_data)
        except inspectors.InspectorError as exc:
            form.add_error(None, exc.message)
    return TemplateResponse(request, "funding/admin/new_inspector.html", {
        "plan": plan, "form": form, "created": created, "password": password,
        "header_title": _("New inspector account")})
