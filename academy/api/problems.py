"""Every API error as an RFC 9457 problem document (``application/problem+json``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    409: "Conflict", 415: "Unsupported media type", 429: "Too many requests",
}


def problem(status_code: int, detail: str, *, errors=None, type_: str = "about:blank") -> Response:
    body = {"type": type_, "title": TITLES.get(status_code, "Error"), "status": status_code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM)


def _detail(data) -> tuple[str, dict | None]:
    if isinstance(data, dict):
        if set(data) == {"detail"}:
            return str(data["detail"]), None
        return _("The request has invalid fields."), {k: [str(m) for m in (v if isinstance(v, list) else [v])]
                                                      for k, v in data.items()}
    if isinstance(data, list):
        return " ".join(str(m) for m in data), None
    return str(data), None


def handle(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail, errors = _detail(response.data)
    result = problem(response.status_code, detail, errors=errors)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def conflict(detail: str) -> Response:
    return problem(status.HTTP_409_CONFLICT, detail)
