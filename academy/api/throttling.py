"""Rate limits (DRF's documented ``SimpleRateThrottle`` over the shared cache): per token for token
calls, per client address (the project's one rule, ``academy.core.clientip``) for anonymous ones."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from academy.core.clientip import client_ip


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AnonymousRateThrottle(SimpleRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}
