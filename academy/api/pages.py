"""The member's page for API tokens: list, create (the secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import tokens
from .forms import TokenForm


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
