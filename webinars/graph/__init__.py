"""Microsoft Graph (Teams online meetings) client and a local emulator for tests and demos.

Only the client is imported eagerly; ``webinars.graph.emulator`` is imported on demand so that
production code never loads the test server.
"""

from .client import BatchResponse, GraphClient, GraphConfig, clear_app_cache
from .errors import (
    GraphAuthError,
    GraphBadRequest,
    GraphBatchError,
    GraphConfigError,
    GraphConflict,
    GraphError,
    GraphNotFound,
    GraphPermissionError,
    GraphResponseError,
    GraphThrottledError,
    GraphUnavailableError,
)

__all__ = [
    "BatchResponse",
    "GraphAuthError",
    "GraphBadRequest",
    "GraphBatchError",
    "GraphClient",
    "GraphConfig",
    "GraphConfigError",
    "GraphConflict",
    "GraphError",
    "GraphNotFound",
    "GraphPermissionError",
    "GraphResponseError",
    "GraphThrottledError",
    "GraphUnavailableError",
    "clear_app_cache",
]
