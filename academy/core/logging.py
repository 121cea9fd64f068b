"""Logging filters for the project's ``LOGGING`` setting."""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """Keep the one-line "Forbidden" record of a refused request but drop its traceback.

    A 403 is an expected answer (someone opened a page they may not see), not a fault: the traceback
    of the ``PermissionDenied`` only buries real errors in the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


# --- Request ids and structured logs ----------------------------------------------------------------
import contextvars  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import uuid  # noqa: E402

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id, taken from the balancer's ``X-Request-ID`` (nginx ``$request_id``, see
    deploy/nginx) when it is well formed, else a new one; every log record of the request carries it
    (``RequestIdFilter``) and the response returns it, so a user's report can be found in the logs of
    whichever app server answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID", "")
        rid = sent if _VALID_ID.match(sent) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``LOG_FORMAT=json``): time, level, logger, message, request id, and
    the exception's traceback when there is one. Request records keep their status code."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
