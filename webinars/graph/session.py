"""The requests session shared with msal, which applies our TLS trust and timeout and reports
every call (token requests and retries included) to the client that made it."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

# The observer of the GraphClient currently using a (possibly shared) session. msal's requests go
# through the session of the cached application, which several GraphClient instances share, so the
# attribution is per call (context variable) and not per session.
current_observer: contextvars.ContextVar[Callable[[str, str, int | None, float], None] | None] = (
    contextvars.ContextVar("graph_request_observer", default=None)
)


class GraphSession(requests.Session):
    # ``last_status``: (status, Retry-After) of this thread's latest response through this session.
    # msal hides both from its result (a JSON 429 from the token endpoint comes back as an error dict,
    # and its throttling cache replays that response without a new request), so the transport reads
    # them here to tell an identity-platform outage from a refused credential.
    """A requests.Session that always applies our TLS trust and timeout and reports each call.

    ``verify`` is passed per request on purpose: requests lets ``REQUESTS_CA_BUNDLE`` override a
    session-level ``verify``, which would silently ignore ``TEAMS_CA_BUNDLE``.
    """

    def __init__(self, verify: str | bool, timeout: float) -> None:
        super().__init__()
        self.verify = verify
        self.default_timeout = timeout
        self.headers["User-Agent"] = "Academy-GraphClient/1.0 " + str(self.headers.get("User-Agent", ""))
        self._last = threading.local()

    def last_status(self) -> tuple[int | None, str | None]:
        return getattr(self._last, "value", (None, None))

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("verify") is None:
            kwargs["verify"] = self.verify
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        observer = current_observer.get()
        started = time.monotonic()
        status: int | None = None
        self._last.value = (None, None)
        try:
            response = super().request(method, url, *args, **kwargs)
            status = response.status_code
            self._last.value = (status, response.headers.get("Retry-After"))
            return response
        finally:
            if observer is not None:
                verb = method.decode() if isinstance(method, bytes) else method
                target = url.decode() if isinstance(url, bytes) else url
                observer(verb.upper(), target, status, time.monotonic() - started)

