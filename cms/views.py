"""Site views of the top layer: the landing after sign-in (it needs every layer below) and the icon."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.templatetags.static import static

from .areas import landing_url


@login_required
def landing(request):
    """``LOGIN_REDIRECT_URL``: send a person who just signed in to where their work is (``cms.areas``).
    Any other way of signing in (single sign-on) redirects here too, with ``?next=`` if it has one."""
    return redirect(landing_url(request, request.GET.get("next")))


def favicon(request):
    """``/favicon.ico``, which browsers ask for by themselves: the site's icon (a static file)."""
    return redirect(static("academy/favicon.svg"), permanent=True)
