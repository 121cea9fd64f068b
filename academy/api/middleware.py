"""Django's locale middleware, minus its 404 redirect for the API: an unknown API object must answer
404 as a problem document, not a redirect to ``/it/api/...`` (a Wagtail page that does not exist)."""

from __future__ import annotations

from django.middleware.locale import LocaleMiddleware

API_PREFIX = "/api/"


class LocaleMiddlewareOutsideApi(LocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
