"""Top-level Graph requests (authentication, faults, malformed answers) and JSON batching."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from webinars.graph.client import MAX_BATCH_SIZE

from .common import (
    JSON_TYPE,
    LoggedRequest,
    _HttpError,
)
from .faults import Fault


class GraphFront:
    """Mixin of :class:`GraphEmulator`: the Graph entry point and ``$batch``."""

    def _graph_error(
        self,
        status: int,
        code: str,
        message: str,
        headers: Mapping[str, str] | None = None,
        client_request_id: str = "",
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        request_id = str(uuid.uuid4())
        body = {
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}",
                    "request-id": request_id,
                    "client-request-id": client_request_id or request_id,
                },
            }
        }
        out = {"request-id": request_id}
        out.update(headers or {})
        return status, out, body

    def _fault_response(self, fault: Fault) -> tuple[int, dict[str, str], bytes]:
        status, headers, body = self._fault_parts(fault)
        return self._json(status, body, headers)

    def _fault_parts(self, fault: Fault) -> tuple[int, dict[str, str], dict[str, Any]]:
        headers = {}
        if fault.retry_after is not None:
            retry_after = fault.retry_after
            headers["Retry-After"] = (
                str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
            )
        if fault.status == 429:
            return self._graph_error(
                429, "TooManyRequests", "Too many requests; please retry later.", headers
            )
        if fault.status == 503:
            return self._graph_error(
                503, "ServiceUnavailable", "The service is temporarily unavailable.", headers
            )
        return self._graph_error(fault.status, "InternalServerError", "Injected server error.", headers)

    def _authenticate(self, headers: dict[str, str]) -> None:
        value = headers.get("authorization", "")
        if not value.startswith("Bearer ") or not value[7:].strip():
            raise _HttpError(
                401,
                "InvalidAuthenticationToken",
                "Access token is empty.",
                {"WWW-Authenticate": 'Bearer realm="", error="invalid_token"'},
            )
        with self._lock:
            info = self.tokens.get(value[7:].strip())
        if info is None:
            raise _HttpError(
                401,
                "InvalidAuthenticationToken",
                "IDX14100: JWT is not well formed.",
                {"WWW-Authenticate": 'Bearer realm="", error="invalid_token"'},
            )
        if info["expires_at"] < time.time():
            raise _HttpError(
                401,
                "InvalidAuthenticationToken",
                "Lifetime validation failed, the token is expired.",
                {"WWW-Authenticate": 'Bearer realm="", error="invalid_token"'},
            )

    def _graph_outer(
        self, method: str, sub: str, query: dict[str, list[str]], headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes, Any]:
        """A top-level Graph request: auth, body parsing, faults, then the operation."""
        client_request_id = headers.get("client-request-id", "")
        if self.faults.delay:
            time.sleep(self.faults.delay)
        body: Any = None
        try:
            self._authenticate(headers)
            if raw:
                if not headers.get("content-type", "").lower().startswith("application/json"):
                    raise _HttpError(
                        415,
                        "UnsupportedMediaType",
                        "Content-Type must be application/json for a request with a body.",
                    )
                try:
                    body = json.loads(raw)
                except (ValueError, UnicodeDecodeError):
                    raise _HttpError(
                        400,
                        "BadRequest",
                        "Unable to read JSON request payload. Please ensure "
                        "Content-Type header is set and payload is of valid "
                        "JSON format.",
                    ) from None
            signature = f"{method} {sub}"
            target = "batch" if sub == "/$batch" else "graph"
            fault = self.faults.take("status", target, signature)
            if fault is not None:
                status, out_headers, obj = self._fault_parts(fault)
            elif target == "batch":
                if method != "POST":
                    raise _HttpError(405, "BadRequest", "$batch only supports POST.")
                status, out_headers, obj = self._batch(body)
                slow = self.faults.take("slow", "batch", signature)
                if slow is not None:
                    time.sleep(slow.retry_after or 0)  # executed, but the answer comes too late
            else:
                status, out_headers, obj = self._operation(method, sub, query, body, headers)
        except _HttpError as exc:
            status, out_headers, obj = self._graph_error(
                exc.status, exc.code, exc.message, exc.headers, client_request_id
            )
        out_headers = {"Content-Type": JSON_TYPE, "client-request-id": client_request_id, **out_headers}
        if status == 204:
            payload = b""
            out_headers.pop("Content-Type", None)
        else:
            payload = json.dumps(obj).encode()
        if 200 <= status < 300:
            malformed = self.faults.take(
                "malformed", "batch" if sub == "/$batch" else "graph", f"{method} {sub}"
            )
            if malformed is not None:
                if malformed.mode == "not-json":
                    out_headers["Content-Type"] = "text/html"
                    payload = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
                    status = 200
                elif malformed.mode == "truncated":
                    payload = payload[: max(1, len(payload) // 2)]
                elif malformed.mode == "missing-join-url" and isinstance(obj, dict):
                    payload = json.dumps({k: v for k, v in obj.items() if k != "joinWebUrl"}).encode()
        return status, out_headers, payload, body

    def _batch(self, body: Any) -> tuple[int, dict[str, str], dict[str, Any]]:
        if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
            raise _HttpError(
                400, "BadRequest", "Invalid batch payload format: a 'requests' array is required."
            )
        entries = body["requests"]
        if not entries:
            raise _HttpError(400, "BadRequest", "Invalid batch payload format: no requests.")
        if len(entries) > MAX_BATCH_SIZE:
            raise _HttpError(
                400,
                "BadRequest",
                f"Number of requests in the batch ({len(entries)}) exceeds the limit of {MAX_BATCH_SIZE}.",
            )
        ids: set[str] = set()
        for entry in entries:
            if not isinstance(entry, dict):
                raise _HttpError(
                    400, "BadRequest", "Invalid batch payload format: each request must be an object."
                )
            entry_id, method, url = entry.get("id"), entry.get("method"), entry.get("url")
            if not isinstance(entry_id, str) or not entry_id:
                raise _HttpError(
                    400, "BadRequest", "Invalid batch payload format: every request needs a string 'id'."
                )
            if entry_id in ids:
                raise _HttpError(400, "BadRequest", f"Batch request id '{entry_id}' is duplicated.")
            ids.add(entry_id)
            if method not in {"GET", "POST", "PATCH", "PUT", "DELETE"}:
                raise _HttpError(
                    400, "BadRequest", f"Invalid method '{method}' in batch request '{entry_id}'."
                )
            if not isinstance(url, str) or url.startswith(("http://", "https://")):
                raise _HttpError(
                    400,
                    "BadRequest",
                    f"Batch request '{entry_id}' must use a URL relative to the version, not {url!r}.",
                )
            headers = entry.get("headers") or {}
            if "body" in entry and not any(k.lower() == "content-type" for k in headers):
                raise _HttpError(
                    400,
                    "BadRequest",
                    f"Write request id : {entry_id} does not contain Content-Type header or body.",
                )
        responses = []
        for entry in entries:
            responses.append(self._batch_inner(entry))
        if self.shuffle_batch_responses:
            self._rng.shuffle(responses)
        return 200, {}, {"responses": responses}

    def _batch_inner(self, entry: dict[str, Any]) -> dict[str, Any]:
        method: str = entry["method"]
        parts = urlsplit("/" + entry["url"].lstrip("/"))
        sub, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        headers = {k.lower(): str(v) for k, v in (entry.get("headers") or {}).items()}
        body = entry.get("body")
        try:
            if body is not None and not headers.get("content-type", "").lower().startswith(
                "application/json"
            ):
                raise _HttpError(415, "UnsupportedMediaType", "Content-Type must be application/json.")
            fault = self.faults.take("status", "graph", f"{method} {sub}")
            if fault is not None:
                status, out_headers, obj = self._fault_parts(fault)
            else:
                status, out_headers, obj = self._operation(method, sub, query, body, headers)
        except _HttpError as exc:
            status, out_headers, obj = self._graph_error(exc.status, exc.code, exc.message, exc.headers)
        if 200 <= status < 300:
            malformed = self.faults.take("malformed", "graph", f"{method} {sub}")
            if malformed is not None and malformed.mode == "missing-join-url" and isinstance(obj, dict):
                obj = {k: v for k, v in obj.items() if k != "joinWebUrl"}
            elif malformed is not None:
                obj = "<html>502 Bad Gateway</html>"
        self._log(LoggedRequest(method, self.graph_path + sub, status, "batch-inner", body, query, headers))
        response: dict[str, Any] = {
            "id": entry["id"],
            "status": status,
            "headers": {"Content-Type": "application/json", **out_headers},
        }
        if status != 204:
            response["body"] = obj
        return response

