"""The Content-Security-Policy middleware (django-csp) with the one exception the Wagtail admin needs.

The site's own pages carry no inline code: scripts and styles are static files, and an inline block
would have to carry the request's nonce. The Wagtail admin is not clean yet: its templates and widgets
set ``style`` attributes and its page editor runs inline scripts, which a nonce cannot cover without
changing Wagtail. Admin responses (staff and editors only, behind login) therefore allow inline
scripts and styles; every other directive (sources, frames, forms, base URI, plugins) stays strict.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"


class AcademyCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            # A nonce beside 'unsafe-inline' would make browsers ignore the latter: the admin drops it.
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE],
                             "style-src": [SELF, UNSAFE_INLINE]}
        return parts
