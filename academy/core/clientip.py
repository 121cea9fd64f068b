"""The client's address, the one rule for every abuse limit (login lockout, rate limits).

Behind a reverse proxy every request comes from the proxy, so limits keyed by ``REMOTE_ADDR`` would
throttle everybody at once; but ``X-Forwarded-For`` is written by the client too, so it is believed only
when the operator says how many proxies of theirs append to it (``ACADEMY_TRUSTED_PROXIES``, 0 = none,
the default). The address taken is the one the outermost trusted proxy saw.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request, *args) -> str:
    """``REMOTE_ADDR``, or with ``n`` trusted proxies the ``n``-th address from the right of
    ``X-Forwarded-For`` (each proxy appends the address it received the request from).

    Extra positional arguments are accepted so the function can serve as django-ratelimit's key
    (``group, request``) and as django-axes' client-IP callable (``request``)."""
    if args:  # django-ratelimit calls key functions as (group, request)
        request = args[0]
    trusted = int(getattr(settings, "ACADEMY_TRUSTED_PROXIES", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < trusted:
        return forwarded[0] if forwarded else remote
    return forwarded[-trusted]
