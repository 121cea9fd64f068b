"""One logical Graph request: token, retries with ``Retry-After``, error mapping, JSON parsing.

Graph throttles per app and per tenant (HTTP 429 with ``Retry-After``) and has transient 5xx;
background tasks want one call that either succeeds or raises a typed error meaning "reschedule
later" (:class:`GraphThrottledError`, :class:`GraphUnavailableError`)."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import msal
import requests
from urllib3.exceptions import InvalidHeader
from urllib3.util import Retry

from academy.core import metrics

from .auth import get_app, last_identity_status, tls_error
from .config import _NATIONAL_GRAPH_HOSTS, GRAPH_SCOPE, GraphConfig
from .errors import (
    GraphAuthError,
    GraphError,
    GraphResponseError,
    GraphThrottledError,
    GraphUnavailableError,
    error_from_response,
)
from .session import GraphSession, current_observer

#: Retryable statuses besides 429. 501 (Not Implemented) is permanent, so it is not listed.
RETRYABLE_5XX = frozenset({500, 502, 503, 504, 507, 509})
#: Sent with every Graph request: without it Graph hides the evolvable enum members the Academy uses
#: (``coorganizer`` in onlineMeetingRole, the ``invited``/``organizationExcludingGuests`` lobby
#: scopes) behind ``unknownFutureValue``, on input and output alike.
PREFER_HEADER = {"Prefer": "include-unknown-enum-members"}

# Only its Retry-After parser is used. The retry loop stays ours rather than urllib3's Retry on the
# session: it must sleep through the injectable ``sleep`` (tests and benchmarks count the waits
# instead of waiting), cap Retry-After, report and count every attempt, refresh the token once on
# 401 and raise typed errors carrying Retry-After; and $batch's inner 429s arrive inside a 200
# envelope, which no transport-level retry can see (see ``MeetingsAPI.batch``).
_RETRY_AFTER = Retry()

#: A token request answered 429/5xx is repeated (at most ``TOKEN_RETRIES`` times) only after a
#: Retry-After of at most ``TOKEN_MAX_WAIT`` seconds: msal replays a 429/5xx answer from its throttling
#: cache for Retry-After (5 s without one), so an earlier retry never reaches the identity platform.
#: Otherwise it counts as down and the client refuses Graph work without a request for
#: ``IDENTITY_PAUSE`` (or the longer Retry-After): one pass no longer waits ~23 s per item.
TOKEN_RETRIES = 2
TOKEN_MAX_WAIT = 30.0
IDENTITY_PAUSE = 60.0
IDENTITY_DOWN = "identity_platform_unavailable"

RequestHook = Callable[[str, str, "int | None", float], None]
"""``on_request(method, url, status, elapsed_seconds)``; status is None on connection errors."""



class GraphTransport:
    """Base of :class:`GraphClient`: authentication, the retry loop and response parsing."""

    def __init__(
        self,
        config: GraphConfig,
        *,
        on_request: RequestHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        config.validate()
        self.config = config
        self.on_request = on_request
        self.sleep = sleep
        self.calls = 0
        #: Calls per kind: ``"identity"`` (discovery + token) and ``"graph"``.
        self.call_counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._rng = rng or random.Random()
        self._base = config.graph_base_url.rstrip("/")
        base_parts = urlsplit(self._base)
        self._base_origin = (base_parts.scheme, base_parts.netloc.lower())
        self._session = GraphSession(config.verify, config.timeout)
        host = (base_parts.hostname or "").lower()
        self.scope = f"https://{host}/.default" if host in _NATIONAL_GRAPH_HOSTS else GRAPH_SCOPE
        #: (monotonic deadline, error) while the identity platform is considered down.
        self._identity_pause: tuple[float, GraphError] | None = None

    # -- plumbing ---------------------------------------------------------------------------------

    def _observe(self, method: str, url: str, status: int | None, elapsed: float) -> None:
        kind = "graph" if url.startswith(self._base) else "identity"
        with self._lock:
            self.calls += 1
            self.call_counts[kind] += 1
        metrics.graph_request(kind, status)  # /metrics: Graph calls and errors by code
        if self.on_request is not None:
            self.on_request(method, url, status, elapsed)

    def _backoff(self, attempt: int) -> float:
        """Capped exponential backoff with "equal jitter" so parallel workers spread out."""
        ceiling = min(self.config.max_backoff, 0.5 * (2 ** (attempt - 1)))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _retry_delay(self, retry_after: str | None, attempt: int) -> float:
        """Seconds to wait: ``Retry-After`` (delta-seconds or HTTP-date, parsed by urllib3) capped at
        ``max_retry_after``, else backoff."""
        if retry_after:
            try:
                delay = _RETRY_AFTER.parse_retry_after(retry_after)
            except InvalidHeader:
                return self._backoff(attempt)
            return min(delay, self.config.max_retry_after)
        return self._backoff(attempt)

    def acquire_token(self) -> str:
        """An app-only access token for Graph, from msal's cache when still valid.

        A 429 or 5xx of the token endpoint (JSON or not), or no connection, is an outage of the
        identity platform: retried ``TOKEN_RETRIES`` times honouring Retry-After, then raised as
        ``GraphUnavailableError`` (code ``identity_platform_unavailable``) and repeated without any
        request until the pause ends. Any other refusal is a ``GraphAuthError`` (configuration)."""
        if self._identity_pause is not None:
            until, error = self._identity_pause
            if time.monotonic() < until:
                raise error
            self._identity_pause = None
        token = current_observer.set(self._observe)
        try:
            result = self._token_with_retries()
        finally:
            current_observer.reset(token)
        if not isinstance(result, dict) or "access_token" not in result:
            result = result if isinstance(result, dict) else {}
            code = str(result.get("error") or "unknown_error")
            description = str(result.get("error_description") or "no description")
            raise GraphAuthError(
                f"Token request for client {self.config.client_id} in tenant {self.config.tenant_id} "
                f"failed: {code}: {description}",
                code=code,
            )
        return str(result["access_token"])

    def _token_with_retries(self) -> Any:
        attempt = 0
        while True:
            failure: BaseException | None = None
            try:
                result = get_app(self.config).acquire_token_for_client(scopes=[self.scope])
            except requests.exceptions.SSLError as exc:
                raise tls_error(self.config.authority_url, exc) from exc
            except (msal.exceptions.MsalServiceError, ValueError, requests.ConnectionError, requests.Timeout,
                    GraphUnavailableError) as exc:
                # msal raises on a 5xx; a non-JSON body (a throttling gateway) is a JSONDecodeError.
                failure = exc
            status, retry_after = last_identity_status(self.config)
            if failure is None:
                if not isinstance(result, dict) or "access_token" in result or not (
                        status == 429 or (status or 0) >= 500):
                    return result
                failure = GraphError(f"{result.get('error')}: {result.get('error_description')}")
            attempt += 1
            answered = status is not None  # a 429/5xx (msal will replay it), else no connection
            wait = self._retry_delay(retry_after, attempt) if retry_after else (0.0 if answered else None)
            if attempt > min(TOKEN_RETRIES, self.config.max_retries) or (answered and not 0 < wait <= TOKEN_MAX_WAIT):
                error = GraphUnavailableError(
                    f"The identity platform failed after {attempt} attempts (HTTP {status}): "
                    f"{type(failure).__name__}: {failure}", code=IDENTITY_DOWN, status=status,
                )
                self._identity_pause = (time.monotonic() + max(wait or 0.0, IDENTITY_PAUSE), error)
                raise error from failure
            self.sleep(wait if answered else self._backoff(attempt))

    def _url(self, path_or_url: str) -> str:
        if path_or_url.startswith("https://"):
            return path_or_url
        return self._base + "/" + path_or_url.lstrip("/")

    def _send(self, method: str, path_or_url: str, json_body: Any = None) -> requests.Response:
        """One logical Graph request with retries; returns the final response (any status)."""
        url = self._url(path_or_url)
        data = None if json_body is None else json.dumps(json_body).encode()
        attempt = 0
        token_refreshed = False
        while True:
            headers = {
                "Authorization": f"Bearer {self.acquire_token()}",
                "Accept": "application/json",
                "client-request-id": str(uuid.uuid4()),
                **PREFER_HEADER,
            }
            if data is not None:
                headers["Content-Type"] = "application/json"
            ctx = current_observer.set(self._observe)
            try:
                response = self._session.request(method, url, data=data, headers=headers)
            except requests.exceptions.SSLError as exc:
                raise tls_error(url, exc) from exc
            except requests.ReadTimeout as exc:
                if method == "POST":
                    # Sent, but the answer never came: Graph may have acted. Repeating a POST (a
                    # $batch of creations) blindly could act twice, so the caller decides.
                    raise GraphUnavailableError(
                        f"No answer within {self.config.timeout} s; outcome unknown: {exc}",
                        code="outcome_unknown", method=method, url=url,
                    ) from exc
                attempt += 1
                if attempt > self.config.max_retries:
                    raise GraphUnavailableError(
                        f"Graph unreachable after {attempt} attempts: {exc}", method=method, url=url
                    ) from exc
                self.sleep(self._backoff(attempt))
                continue
            except (requests.ConnectionError, requests.Timeout) as exc:
                attempt += 1
                if attempt > self.config.max_retries:
                    raise GraphUnavailableError(
                        f"Graph unreachable after {attempt} attempts: {exc}", method=method, url=url
                    ) from exc
                self.sleep(self._backoff(attempt))
                continue
            finally:
                current_observer.reset(ctx)
            status = response.status_code
            if status == 401 and not token_refreshed:
                # A token revoked or expired early: drop msal's cached token and try once more.
                token_refreshed = True
                get_app(self.config).remove_tokens_for_client()
                continue
            if status == 429 or status in RETRYABLE_5XX:
                attempt += 1
                if attempt > self.config.max_retries:
                    raise self._give_up(response, method, url, attempt)
                self.sleep(self._retry_delay(response.headers.get("Retry-After"), attempt))
                continue
            return response

    def _give_up(self, response: requests.Response, method: str, url: str, attempts: int) -> GraphError:
        body = self._error_body(response)
        base = error_from_response(
            response.status_code,
            body,
            method=method,
            url=url,
            request_id=response.headers.get("request-id", ""),
        )
        cls = GraphThrottledError if response.status_code == 429 else GraphUnavailableError
        message = f"Giving up after {attempts} attempts: {base.message}"
        if cls is GraphThrottledError:
            retry_after = self._retry_delay(response.headers.get("Retry-After"), attempts)
            return GraphThrottledError(
                message,
                retry_after=retry_after,
                status=base.status,
                code=base.code,
                request_id=base.request_id,
                method=method,
                url=url,
            )
        return GraphUnavailableError(
            message, status=base.status, code=base.code, request_id=base.request_id, method=method, url=url
        )

    @staticmethod
    def _error_body(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return response.text

    def _parse(self, response: requests.Response, method: str) -> dict[str, Any]:
        """Return the JSON object of a successful response or raise the matching GraphError."""
        url = response.url
        status = response.status_code
        if not 200 <= status < 300:
            raise error_from_response(
                status,
                self._error_body(response),
                method=method,
                url=url,
                request_id=response.headers.get("request-id", ""),
            )
        if status == 204 or not response.content:
            return {}
        try:
            body = response.json()
        except ValueError:
            raise GraphResponseError(
                f"Graph returned HTTP {status} with a body that is not JSON "
                f"(Content-Type {response.headers.get('Content-Type', 'missing')!r}): "
                f"{response.text[:120]!r}",
                status=status,
                method=method,
                url=url,
            ) from None
        if not isinstance(body, dict):
            raise GraphResponseError(
                f"Graph returned HTTP {status} with JSON that is not an object ({type(body).__name__})",
                status=status,
                method=method,
                url=url,
            )
        return body

    def request(self, method: str, path: str, json: Any = None) -> dict[str, Any]:
        """Low-level call relative to ``graph_base_url`` (retries, error mapping, JSON parsing)."""
        method = method.upper()
        return self._parse(self._send(method, path, json), method)

    def _user_path(self) -> str:
        return f"/users/{quote(self.config.organizer_user_id, safe='')}/onlineMeetings"

    def _meeting_path(self, meeting_id: str) -> str:
        if not meeting_id:
            raise ValueError("meeting_id is required")
        return f"{self._user_path()}/{quote(meeting_id, safe='')}"
