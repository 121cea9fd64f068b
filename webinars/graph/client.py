"""Microsoft Graph client for Teams online meetings (app-only, msal client-credentials).

The client is composed by concern: :mod:`.config` (settings), :mod:`.auth` (the msal application
and its token cache), :mod:`.transport` (one request with retries and error mapping),
:mod:`.meetings` (online meetings and ``$batch``) and :mod:`.attendance` (paged reports).

* **Nothing half-recorded.** Responses are validated (``id`` and ``joinWebUrl`` for meetings,
  ``value`` lists for collections); anything else is a :class:`GraphResponseError` so callers never
  store a meeting without a join link.
* **Observable.** Every HTTP call (token requests included, retries included) increments
  :attr:`GraphClient.calls` and is reported to ``on_request(method, url, status, elapsed)`` so the
  caller can keep an operations log.
* **Testable without Microsoft.** Authority and Graph base URL and the CA bundle are configuration;
  the tests point them at :class:`tests.fakes.graph_emulator.GraphEmulator` over real HTTPS.

Endpoints (Graph v1.0): ``POST/PATCH/DELETE /users/{id}/onlineMeetings[/{meetingId}]``,
``POST .../onlineMeetings/createOrGet``, ``GET .../attendanceReports`` and
``.../attendanceReports/{id}/attendanceRecords`` (paged with ``@odata.nextLink``), and
``POST /$batch`` (JSON batching, at most 20 requests per batch).
"""

from __future__ import annotations

from .attendance import AttendanceAPI
from .auth import clear_app_cache
from .config import GRAPH_SCOPE, GraphConfig
from .meetings import MAX_BATCH_SIZE, BatchResponse, MeetingsAPI
from .transport import GraphTransport, RequestHook

__all__ = [
    "GRAPH_SCOPE",
    "MAX_BATCH_SIZE",
    "BatchResponse",
    "GraphClient",
    "GraphConfig",
    "RequestHook",
    "clear_app_cache",
]


class GraphClient(MeetingsAPI, AttendanceAPI, GraphTransport):
    """Teams online meetings and attendance reports through Microsoft Graph v1.0.

    ``sleep`` is injectable so tests and benchmarks can honour ``Retry-After`` without waiting;
    ``on_request`` receives every HTTP call (token requests too). The client is safe to share
    between threads; counters are protected by a lock.
    """
