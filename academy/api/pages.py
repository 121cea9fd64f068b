"""The pages for API tokens (list, create with the secret shown once, revoke) and, for HR officers and
staff, webhooks (add, test, delete, delivery log)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.core.permissions import is_staff
from academy.network.models import Organisation

from . import tokens, webhooks
from .forms import TokenForm, WebhookForm


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = tokens.create_personal_token(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    response = render(request, "api/tokens.html", {
        "form": form, "secret": secret, "tokens": tokens.tokens_of(request.user)})
    response["Cache-Control"] = "private, no-store"  # the secret must not stay in a cache
    return response


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = tokens.tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    tokens.revoke(token, by=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("api_tokens:list")


def _managed_organisations(user):
    if is_staff(user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(hr_officers__user=user).order_by("name")


@login_required
def webhook_list(request):
    organisations = list(_managed_organisations(request.user))
    staff = is_staff(request.user)
    if not organisations and not staff:
        raise Http404
    form = WebhookForm(request.POST or None, organisations=organisations, allow_all=staff,
                       event_types=webhooks.EVENT_LABELS)
    if request.method == "POST" and form.is_valid():
        org_id = form.cleaned_data["organisation"]
        organisation = next((o for o in organisations if str(o.pk) == org_id), None)
        try:
            webhooks.create_endpoint(by=request.user, organisation=organisation, url=form.cleaned_data["url"],
                                     events=form.cleaned_data["events"])
        except ValidationError as exc:
            form.add_error("url", exc)
        else:
            messages.success(request, _("The webhook has been added: configure its secret in the receiving system."))
            return redirect("api_tokens:webhooks")
    endpoints = list(webhooks.endpoints_for(request.user))
    for endpoint in endpoints:
        endpoint.recent = list(endpoint.deliveries.order_by("-pk")[:20])
        endpoint.event_labels = [(code, label) for code, label in webhooks.EVENT_LABELS.items()
                                 if code in endpoint.event_types]
    response = render(request, "api/webhooks.html", {"form": form, "endpoints": endpoints})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def webhook_action(request, endpoint_id: int, action: str):
    endpoint = webhooks.endpoints_for(request.user).filter(pk=endpoint_id).first()
    if endpoint is None or action not in ("test", "delete"):
        raise Http404
    if action == "test":
        webhooks.send_test_event(endpoint, by=request.user)
        messages.info(request, _("A test event has been queued: see the delivery log below."))
    else:
        webhooks.delete_endpoint(endpoint, by=request.user)
        messages.success(request, _("The webhook has been deleted."))
    return redirect("api_tokens:webhooks")
