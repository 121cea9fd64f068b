"""A ceiling on failed log-ins per client address, across usernames (password spraying).

django-axes locks a username *and* address pair (``AXES_LOCKOUT_PARAMETERS``), so that one person's typos
do not lock out a whole office behind one address; an attacker trying a few passwords on many usernames
never meets it. Here every failed log-in (Django's ``user_login_failed`` signal, site and Wagtail admin
alike) counts against the client address (``academy.core.clientip``) in a django-ratelimit window,
``ACCOUNTS_RATE_LIMITS["login_failures_ip"]`` (default 30 an hour, far above an office's typos). Over it,
``AddressCeilingBackend`` refuses before any password is checked, and the middleware answers the log-in
forms with the 429 page. With the cache down the counter reads zero: log-in keeps working
(``docs/reliability.md``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from academy.core.clientip import client_ip

GROUP = "accounts.login_failures"
DEFAULT_RATE = "30/h"


def _rate() -> str:
    return getattr(settings, "ACCOUNTS_RATE_LIMITS", {}).get("login_failures_ip", DEFAULT_RATE)


def address_over_ceiling(request) -> bool:
    """Whether the client address has used up its failed log-ins for the window (counts nothing)."""
    return is_ratelimited(request, group=GROUP, key=client_ip, rate=_rate(), increment=False)


@receiver(user_login_failed, dispatch_uid="academy-login-ceiling")
def count_failure(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        is_ratelimited(request, group=GROUP, key=client_ip, rate=_rate(), increment=True)


class AddressCeilingBackend:
    """First backend: refuses every log-in from an address over the ceiling (no password is checked).

    Deliberately without ``get_user`` (not a ``BaseBackend``): it never signs anyone in, so a session is
    never bound to it (Django's test client, too, binds ``force_login`` to the first backend that has one)."""

    def authenticate(self, request, **credentials):
        if request is not None and address_over_ceiling(request):
            raise PermissionDenied
        return None


class LoginCeilingMiddleware:
    """The log-in forms (site and Wagtail admin) answer an address over the ceiling with the 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method == "POST" and request.path in {reverse("accounts:login"), reverse("wagtailadmin_login")}
                and address_over_ceiling(request)):
            return render(request, "accounts/rate_limited.html", status=429)
        return self.get_response(request)
