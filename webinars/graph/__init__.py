"""Microsoft Graph (Teams online meetings) client. Its test double, the HTTPS emulator, lives in
``tests.fakes.graph_emulator`` (outside the product)."""

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
