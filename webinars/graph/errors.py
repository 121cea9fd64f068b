"""Exceptions raised by the Microsoft Graph client.

Callers (the Teams backend, background tasks) need to decide between "retry later", "fix the
configuration" and "this item is wrong" without parsing strings, so every failure mode has its own
class and carries the HTTP status, the Graph ``error.code`` and the request id Microsoft support
asks for.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "GraphAuthError",
    "GraphBadRequest",
    "GraphBatchError",
    "GraphConfigError",
    "GraphConflict",
    "GraphError",
    "GraphNotFound",
    "GraphPermissionError",
    "GraphResponseError",
    "GraphThrottledError",
    "GraphUnavailableError",
    "error_from_response",
]

ACCESS_POLICY_HINT = (
    "Check that the app registration has the application permission (OnlineMeetings.ReadWrite.All "
    "for meetings, OnlineMeetingArtifact.Read.All for attendance reports) with admin consent, and "
    "that a Teams application access policy (New-CsApplicationAccessPolicy / "
    "Grant-CsApplicationAccessPolicy) is granted to the organizer user; a new grant can take up "
    "to 30 minutes to apply. See docs/teams.md."
)


class GraphError(Exception):
    """Base class: any failure talking to Microsoft Graph or the identity platform."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        request_id: str = "",
        method: str = "",
        url: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.method = method
        self.url = url

    def __str__(self) -> str:
        parts = [self.message]
        details = []
        if self.status is not None:
            details.append(f"HTTP {self.status}")
        if self.code:
            details.append(f"code={self.code}")
        if self.method and self.url:
            details.append(f"{self.method} {self.url}")
        if self.request_id:
            details.append(f"request-id={self.request_id}")
        if details:
            parts.append(f"({', '.join(details)})")
        return " ".join(parts)


class GraphConfigError(GraphError):
    """The TEAMS settings are incomplete or inconsistent; nothing was sent."""


class GraphAuthError(GraphError):
    """The identity platform refused to issue a token, or Graph rejected it (HTTP 401)."""


class GraphPermissionError(GraphError):
    """HTTP 403: missing application permission, admin consent or application access policy."""


class GraphNotFound(GraphError):
    """HTTP 404: the meeting, report or organizer user does not exist (any more)."""


class GraphBadRequest(GraphError):
    """HTTP 400/415/422: Graph rejected the request shape; retrying the same request will not help."""


class GraphConflict(GraphError):
    """HTTP 409/412: concurrent modification."""


class GraphThrottledError(GraphError):
    """Still HTTP 429 after all retries; the caller should reschedule the work later."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class GraphUnavailableError(GraphError):
    """Still 5xx / connection error / timeout after all retries; transient, reschedule later."""


class GraphResponseError(GraphError):
    """Graph answered with a body we cannot trust (not JSON, wrong shape, missing fields).

    Raised instead of returning partial data so that nothing half-recorded reaches the database.
    """


class GraphBatchError(GraphError):
    """One or more requests inside a JSON batch failed permanently.

    ``results`` has one entry per input item, in input order: the parsed body for items that
    succeeded (those meetings DO exist in Teams and must be recorded) and ``None`` for failed ones.
    ``errors`` maps the input index of each failed item to its :class:`GraphError`.
    """

    def __init__(
        self, message: str, *, results: list[dict[str, Any] | None], errors: dict[int, GraphError]
    ) -> None:
        super().__init__(message)
        self.results = results
        self.errors = errors


_CODE_CLASSES: dict[str, type[GraphError]] = {
    "NotFound": GraphNotFound,
    "ResourceNotFound": GraphNotFound,
    "ErrorItemNotFound": GraphNotFound,
    "UserNotFound": GraphNotFound,
    "Forbidden": GraphPermissionError,
    "AccessDenied": GraphPermissionError,
    "Authorization_RequestDenied": GraphPermissionError,
    "ErrorAccessDenied": GraphPermissionError,
    "InvalidAuthenticationToken": GraphAuthError,
    "Unauthorized": GraphAuthError,
    "BadRequest": GraphBadRequest,
    "InvalidRequest": GraphBadRequest,
    "UnsupportedMediaType": GraphBadRequest,
    "Conflict": GraphConflict,
    "TooManyRequests": GraphThrottledError,
    "ServiceUnavailable": GraphUnavailableError,
}

_STATUS_CLASSES: dict[int, type[GraphError]] = {
    400: GraphBadRequest,
    401: GraphAuthError,
    403: GraphPermissionError,
    404: GraphNotFound,
    409: GraphConflict,
    412: GraphConflict,
    415: GraphBadRequest,
    422: GraphBadRequest,
    429: GraphThrottledError,
}


def error_from_response(
    status: int,
    body: Any,
    *,
    method: str = "",
    url: str = "",
    request_id: str = "",
) -> GraphError:
    """Map a Graph error response (``{"error": {"code", "message"}}``) to the right exception.

    The status decides first (a 404 is a GraphNotFound whatever the code says); the code refines
    it for statuses we do not special-case. A body that is not the documented error shape still
    produces a useful error rather than a KeyError.
    """
    code = ""
    message = ""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = str(body["error"].get("code") or "")
        message = str(body["error"].get("message") or "")
        inner = body["error"].get("innerError") or body["error"].get("innererror") or {}
        if isinstance(inner, dict) and not request_id:
            request_id = str(inner.get("request-id") or "")
    elif isinstance(body, str) and body.strip():
        message = body.strip()[:200]
    if not message:
        message = f"Graph returned HTTP {status}"
    cls = _STATUS_CLASSES.get(status) or _CODE_CLASSES.get(code)
    if cls is None:
        cls = GraphUnavailableError if status >= 500 else GraphError
    if cls is GraphPermissionError:
        message = f"{message} -- {ACCESS_POLICY_HINT}"
    return cls(message, status=status, code=code, request_id=request_id, method=method, url=url)
