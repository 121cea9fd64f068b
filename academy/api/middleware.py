"""Django's locale middleware, minus its 404 redirect for the API: an unknown API object must answer
404 as a problem document, not a redirect to ``/it/api/...`` (a Wagtail page that does not exist). Any other
error page under ``/api/`` (a path no API route matches, such as ``/api/v1/catalogue/courses/-1/``, or a
server error) becomes a problem document of the same status instead of the site's HTML page."""

from __future__ import annotations

from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext as _

from .problems import PROBLEM, TITLES

API_PREFIX = "/api/"


class LocaleMiddlewareOutsideApi(LocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            if response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
                status = response.status_code
                detail = _("Not found.") if status == 404 else _("The server could not answer.")
                return JsonResponse({"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
                                     "detail": detail}, status=status, content_type=PROBLEM)
            return response
        return super().process_response(request, response)
