"""Microsoft Graph client for Teams online meetings (app-only, msal client-credentials).

Why this module looks the way it does:

* **One msal application per configuration.** msal keeps its token cache inside the
  ``ConfidentialClientApplication`` object; creating a new one per request would fetch a new token
  (and re-run OIDC discovery) every time. ``_APP_CACHE`` holds one per configuration key.
* **Retries are ours, not the caller's.** Graph throttles per app and per tenant (HTTP 429 with
  ``Retry-After``) and has transient 5xx; background tasks want one call that either succeeds or
  raises a typed error meaning "reschedule later" (:class:`GraphThrottledError`,
  :class:`GraphUnavailableError`).
* **Nothing half-recorded.** Responses are validated (``id`` and ``joinWebUrl`` for meetings,
  ``value`` lists for collections); anything else is a :class:`GraphResponseError` so callers never
  store a meeting without a join link.
* **Observable.** Every HTTP call (token requests included, retries included) increments
  :attr:`GraphClient.calls` and is reported to ``on_request(method, url, status, elapsed)`` so the
  caller can keep an operations log.
* **Testable without Microsoft.** Authority and Graph base URL and the CA bundle are configuration;
  the tests point them at :class:`tests.fakes.graph_emulator.GraphEmulator` over real HTTPS.

Endpoints (Graph v1.0): ``POST/PATCH/DELETE /users/{id}/onlineMeetings[/{meetingId}]``,
``GET .../attendanceReports`` and ``.../attendanceReports/{id}/attendanceRecords`` (paged with
``@odata.nextLink``), and ``POST /$batch`` (JSON batching, at most 20 requests per batch).
"""

from __future__ import annotations

import contextvars
import email.utils
import hashlib
import json
import random
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import msal
import requests

from .errors import (
    GraphAuthError,
    GraphBatchError,
    GraphConfigError,
    GraphError,
    GraphResponseError,
    GraphThrottledError,
    GraphUnavailableError,
    error_from_response,
)

__all__ = [
    "BatchResponse",
    "GraphClient",
    "GraphConfig",
    "RequestHook",
    "clear_app_cache",
]

DEFAULT_AUTHORITY_URL = "https://login.microsoftonline.com"
DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
#: Graph's documented JSON-batching limit.
MAX_BATCH_SIZE = 20
#: Retryable statuses besides 429. 501 (Not Implemented) is permanent, so it is not listed.
RETRYABLE_5XX = frozenset({500, 502, 503, 504, 507, 509})
#: Hosts for which msal's instance discovery (a call to login.microsoftonline.com) makes sense.
MICROSOFT_AUTHORITY_HOSTS = frozenset(
    {
        "login.microsoftonline.com",
        "login.microsoft.com",
        "login.windows.net",
        "sts.windows.net",
        "login.microsoftonline.us",
        "login.chinacloudapi.cn",
        "login.partner.microsoftonline.cn",
    }
)
#: National-cloud Graph hosts use their own resource identifier in the scope.
_NATIONAL_GRAPH_HOSTS = frozenset(
    {"graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"}
)
_MAX_PAGES = 10_000

RequestHook = Callable[[str, str, "int | None", float], None]
"""``on_request(method, url, status, elapsed_seconds)``; status is None on connection errors."""


# --------------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------------

_SETTING_NAMES = {
    "tenant_id": "TENANT_ID",
    "client_id": "CLIENT_ID",
    "client_secret": "CLIENT_SECRET",
    "client_certificate_path": "CLIENT_CERTIFICATE_PATH",
    "client_certificate_thumbprint": "CLIENT_CERTIFICATE_THUMBPRINT",
    "organizer_user_id": "ORGANIZER_USER_ID",
    "authority_url": "AUTHORITY_URL",
    "graph_base_url": "GRAPH_BASE_URL",
    "ca_bundle": "CA_BUNDLE",
}


@dataclass(frozen=True)
class GraphConfig:
    """Plain, hashable connection settings (no Django needed, so tests and scripts can build one).

    ``client_certificate_path`` is a PEM file holding the private key and (optionally) the
    certificate; with a ``client_certificate_thumbprint`` (the SHA-1 hex shown in Entra ID) msal
    signs an RS256 assertion, without it the certificate in the file is used (PS256, SHA-256 x5t).
    """

    tenant_id: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    client_certificate_path: str = ""
    client_certificate_thumbprint: str = ""
    organizer_user_id: str = ""
    authority_url: str = DEFAULT_AUTHORITY_URL
    graph_base_url: str = DEFAULT_GRAPH_BASE_URL
    ca_bundle: str = ""
    timeout: float = 30
    max_retries: int = 6
    max_backoff: float = 30.0
    #: Upper bound for a single honoured ``Retry-After`` (a broken proxy could send "86400").
    max_retry_after: float = 300.0

    @classmethod
    def from_settings(cls, settings: Any = None) -> GraphConfig:
        """Build from ``settings.TEAMS`` (the dict documented in docs/teams.md).

        ``settings`` defaults to ``django.conf.settings``; missing keys fall back to the defaults so
        an older settings module still works.
        """
        if settings is None:
            from django.conf import settings as django_settings

            settings = django_settings
        teams: Mapping[str, Any] = getattr(settings, "TEAMS", None) or {}
        kwargs: dict[str, Any] = {}
        for attr, key in _SETTING_NAMES.items():
            value = teams.get(key)
            if value not in (None, ""):
                kwargs[attr] = str(value).strip()
        for attr, key, conv in (
            ("timeout", "TIMEOUT", float),
            ("max_retries", "MAX_RETRIES", int),
            ("max_backoff", "MAX_BACKOFF", float),
            ("max_retry_after", "MAX_RETRY_AFTER", float),
        ):
            if teams.get(key) not in (None, ""):
                kwargs[attr] = conv(teams[key])
        return cls(**kwargs)

    def missing_settings(self) -> list[str]:
        """Names of the ``TEAMS_*`` environment variables that still need a value."""
        missing = [
            f"TEAMS_{_SETTING_NAMES[name]}"
            for name in ("tenant_id", "client_id", "organizer_user_id", "authority_url", "graph_base_url")
            if not getattr(self, name)
        ]
        if not self.client_secret and not self.client_certificate_path:
            missing.append("TEAMS_CLIENT_SECRET or TEAMS_CLIENT_CERTIFICATE_PATH")
        return missing

    def is_complete(self) -> bool:
        """True when every setting needed to call Graph is present."""
        return not self.missing_settings()

    def validate(self) -> None:
        """Raise :class:`GraphConfigError` naming every missing setting (fail before any HTTP)."""
        missing = self.missing_settings()
        if missing:
            raise GraphConfigError(
                "Microsoft Teams (Graph) is not configured; missing: " + ", ".join(missing)
            )
        for name in ("authority_url", "graph_base_url"):
            if urlsplit(getattr(self, name)).scheme != "https":
                raise GraphConfigError(f"TEAMS_{_SETTING_NAMES[name]} must be an https:// URL")

    @property
    def verify(self) -> str | bool:
        """Value for requests' ``verify``: the custom CA bundle or the system trust store."""
        return self.ca_bundle or True

    def app_cache_key(self) -> tuple[Any, ...]:
        """Everything that changes the msal application; the secret only as a digest."""
        secret_digest = hashlib.sha256(self.client_secret.encode()).hexdigest() if self.client_secret else ""
        return (
            self.authority_url.rstrip("/").lower(),
            self.tenant_id,
            self.client_id,
            secret_digest,
            self.client_certificate_path,
            self.client_certificate_thumbprint,
            self.ca_bundle,
            float(self.timeout),
        )


# --------------------------------------------------------------------------------------------------
# HTTP plumbing shared with msal
# --------------------------------------------------------------------------------------------------

# The observer of the GraphClient currently using a (possibly shared) session. msal's requests go
# through the session of the cached application, which several GraphClient instances share, so the
# attribution is per call (context variable) and not per session.
_observer: contextvars.ContextVar[Callable[[str, str, int | None, float], None] | None] = (
    contextvars.ContextVar("graph_request_observer", default=None)
)


class _GraphSession(requests.Session):
    """A requests.Session that always applies our TLS trust and timeout and reports each call.

    ``verify`` is passed per request on purpose: requests lets ``REQUESTS_CA_BUNDLE`` override a
    session-level ``verify``, which would silently ignore ``TEAMS_CA_BUNDLE``.
    """

    def __init__(self, verify: str | bool, timeout: float) -> None:
        super().__init__()
        self.verify = verify
        self.default_timeout = timeout
        self.headers["User-Agent"] = "Academy-GraphClient/1.0 " + str(self.headers.get("User-Agent", ""))

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("verify") is None:
            kwargs["verify"] = self.verify
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        observer = _observer.get()
        started = time.monotonic()
        status: int | None = None
        try:
            response = super().request(method, url, *args, **kwargs)
            status = response.status_code
            return response
        finally:
            if observer is not None:
                verb = method.decode() if isinstance(method, bytes) else method
                target = url.decode() if isinstance(url, bytes) else url
                observer(verb.upper(), target, status, time.monotonic() - started)


_APP_CACHE: dict[tuple[Any, ...], msal.ConfidentialClientApplication] = {}
_APP_CACHE_LOCK = threading.Lock()


def clear_app_cache() -> None:
    """Forget every cached msal application (and so every cached token). For tests and rotation."""
    with _APP_CACHE_LOCK:
        _APP_CACHE.clear()


_PEM_KEY_RE = re.compile(r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.+?-----END \1PRIVATE KEY-----", re.S)
_PEM_CERT_RE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def _client_credential(config: GraphConfig) -> str | dict[str, str]:
    """The msal ``client_credential``: the secret, or the private key with thumbprint/certificate."""
    if config.client_secret:
        return config.client_secret
    try:
        with open(config.client_certificate_path, encoding="ascii") as fh:
            pem = fh.read()
    except OSError as exc:
        raise GraphConfigError(
            f"Cannot read TEAMS_CLIENT_CERTIFICATE_PATH {config.client_certificate_path!r}: {exc}"
        ) from exc
    key = _PEM_KEY_RE.search(pem)
    if key is None:
        raise GraphConfigError("TEAMS_CLIENT_CERTIFICATE_PATH must be a PEM file containing the private key")
    credential = {"private_key": key.group(0)}
    if config.client_certificate_thumbprint:
        credential["thumbprint"] = config.client_certificate_thumbprint.replace(":", "").strip()
    else:
        cert = _PEM_CERT_RE.search(pem)
        if cert is None:
            raise GraphConfigError(
                "Set TEAMS_CLIENT_CERTIFICATE_THUMBPRINT or put the certificate in the PEM file "
                "next to the key"
            )
        credential["public_certificate"] = cert.group(0)
    return credential


def _tls_error(url: str, exc: Exception) -> GraphConfigError:
    """TLS failures are configuration problems, never transient: do not retry them."""
    return GraphConfigError(
        f"TLS certificate verification failed for {url}; if this endpoint uses a private CA set "
        f"TEAMS_CA_BUNDLE to its PEM bundle ({exc})"
    )


def _get_app(config: GraphConfig) -> msal.ConfidentialClientApplication:
    """Return the cached msal application for ``config``, creating it (and running discovery) once."""
    key = config.app_cache_key()
    with _APP_CACHE_LOCK:
        app = _APP_CACHE.get(key)
        if app is not None:
            return app
        authority = f"{config.authority_url.rstrip('/')}/{config.tenant_id}"
        host = (urlsplit(authority).hostname or "").lower()
        session = _GraphSession(config.verify, config.timeout)
        try:
            app = msal.ConfidentialClientApplication(
                config.client_id,
                client_credential=_client_credential(config),
                authority=authority,
                # Instance discovery asks login.microsoftonline.com whether the host is a known
                # authority; for anything else (sovereign proxies, the emulator) it must be off.
                instance_discovery=None if host in MICROSOFT_AUTHORITY_HOSTS else False,
                verify=config.verify,
                http_client=session,
                timeout=config.timeout,
                app_name="academy",
            )
        except GraphError:
            raise
        except requests.exceptions.SSLError as exc:
            raise _tls_error(authority, exc) from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise GraphUnavailableError(f"Cannot reach the identity platform at {authority}: {exc}") from exc
        except (ValueError, requests.RequestException) as exc:
            # msal raises ValueError for an unknown tenant / failed OIDC discovery.
            raise GraphAuthError(
                f"Cannot initialise authentication for authority {authority}: {exc}"
            ) from exc
        _APP_CACHE[key] = app
        return app


# --------------------------------------------------------------------------------------------------
# Client
# --------------------------------------------------------------------------------------------------


@dataclass
class BatchResponse:
    """One inner response of a JSON batch, in the caller's input order."""

    index: int
    status: int
    headers: dict[str, str]
    body: Any
    error: GraphError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300


def _iso_utc(value: datetime) -> str:
    """Graph wants ISO 8601; we always send UTC with ``Z`` so no time-zone name is ever needed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"Naive datetime {value!r}: pass an aware datetime (USE_TZ=True)")
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    """Case-insensitive header lookup for plain dicts (inner batch responses)."""
    if not headers:
        return None
    lname = name.lower()
    for key, value in headers.items():
        if str(key).lower() == lname:
            return str(value)
    return None


class GraphClient:
    """Teams online meetings and attendance reports through Microsoft Graph v1.0.

    ``sleep`` is injectable so tests and benchmarks can honour ``Retry-After`` without waiting;
    ``on_request`` receives every HTTP call (token requests too). The client is safe to share
    between threads; counters are protected by a lock.
    """

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
        self._session = _GraphSession(config.verify, config.timeout)
        host = (base_parts.hostname or "").lower()
        self.scope = f"https://{host}/.default" if host in _NATIONAL_GRAPH_HOSTS else GRAPH_SCOPE

    # -- plumbing ---------------------------------------------------------------------------------

    def _observe(self, method: str, url: str, status: int | None, elapsed: float) -> None:
        kind = "graph" if url.startswith(self._base) else "identity"
        with self._lock:
            self.calls += 1
            self.call_counts[kind] += 1
        if self.on_request is not None:
            self.on_request(method, url, status, elapsed)

    def _backoff(self, attempt: int) -> float:
        """Capped exponential backoff with "equal jitter" so parallel workers spread out."""
        ceiling = min(self.config.max_backoff, 0.5 * (2 ** (attempt - 1)))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _retry_delay(self, retry_after: str | None, attempt: int) -> float:
        """Seconds to wait: ``Retry-After`` (delta-seconds or HTTP-date) if given, else backoff."""
        if retry_after:
            delay: float | None
            try:
                delay = float(retry_after.strip())
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(retry_after)
                    delay = (when - datetime.now(UTC)).total_seconds()
                except (TypeError, ValueError):
                    delay = None
            if delay is not None:
                return max(0.0, min(delay, self.config.max_retry_after))
        return self._backoff(attempt)

    def acquire_token(self) -> str:
        """An app-only access token for Graph, from msal's cache when still valid."""
        token = _observer.set(self._observe)
        try:
            attempt = 0
            while True:
                try:
                    app = _get_app(self.config)
                    result = app.acquire_token_for_client(scopes=[self.scope])
                    break
                except requests.exceptions.SSLError as exc:
                    raise _tls_error(self.config.authority_url, exc) from exc
                except (GraphUnavailableError, requests.ConnectionError, requests.Timeout) as exc:
                    attempt += 1
                    if attempt > self.config.max_retries:
                        if isinstance(exc, GraphError):
                            raise
                        raise GraphUnavailableError(
                            f"Cannot reach the identity platform after {attempt} attempts: {exc}"
                        ) from exc
                    self.sleep(self._backoff(attempt))
        finally:
            _observer.reset(token)
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
            }
            if data is not None:
                headers["Content-Type"] = "application/json"
            ctx = _observer.set(self._observe)
            try:
                response = self._session.request(method, url, data=data, headers=headers)
            except requests.exceptions.SSLError as exc:
                raise _tls_error(url, exc) from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                attempt += 1
                if attempt > self.config.max_retries:
                    raise GraphUnavailableError(
                        f"Graph unreachable after {attempt} attempts: {exc}", method=method, url=url
                    ) from exc
                self.sleep(self._backoff(attempt))
                continue
            finally:
                _observer.reset(ctx)
            status = response.status_code
            if status == 401 and not token_refreshed:
                # A token revoked or expired early: drop msal's cached token and try once more.
                token_refreshed = True
                _get_app(self.config).remove_tokens_for_client()
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

    # -- meetings ---------------------------------------------------------------------------------

    @staticmethod
    def meeting_body(
        subject: str,
        start: datetime,
        end: datetime,
        *,
        allow_guests_bypass_lobby: bool = True,
        allowed_presenters: str = "organizer",
        external_id: str = "",
    ) -> dict[str, Any]:
        """The onlineMeeting payload. Guests (people outside the tenant) skip the lobby when asked,
        because nobody from the organizer's side may be there to admit 1,000 participants.
        ``external_id`` (our idempotency key) lets :meth:`create_or_get_online_meeting` find the
        meeting again after a crash between Graph's answer and our commit."""
        if end <= start:
            raise ValueError("end must be after start")
        body = {
            "subject": subject,
            "startDateTime": _iso_utc(start),
            "endDateTime": _iso_utc(end),
            "lobbyBypassSettings": (
                {"scope": "everyone", "isDialInBypassEnabled": True}
                if allow_guests_bypass_lobby
                else {"scope": "organization", "isDialInBypassEnabled": False}
            ),
            "allowedPresenters": allowed_presenters,
        }
        if external_id:
            body["externalId"] = external_id
        return body

    @staticmethod
    def _check_meeting(body: Any, *, status: int | None = None, url: str = "") -> dict[str, Any]:
        if not isinstance(body, dict):
            raise GraphResponseError("Graph returned no onlineMeeting object", status=status, url=url)
        missing = [name for name in ("id", "joinWebUrl") if not body.get(name)]
        if missing:
            raise GraphResponseError(
                f"Graph onlineMeeting response lacks {', '.join(missing)}; not recording it",
                status=status,
                url=url,
            )
        return body

    def create_online_meeting(
        self,
        subject: str,
        start: datetime,
        end: datetime,
        *,
        allow_guests_bypass_lobby: bool = True,
        allowed_presenters: str = "organizer",
        external_id: str = "",
    ) -> dict[str, Any]:
        """Create a meeting owned by the organizer; returns the onlineMeeting (``id``, ``joinWebUrl``)."""
        body = self.meeting_body(
            subject,
            start,
            end,
            allow_guests_bypass_lobby=allow_guests_bypass_lobby,
            allowed_presenters=allowed_presenters,
            external_id=external_id,
        )
        response = self._send("POST", self._user_path(), body)
        return self._check_meeting(
            self._parse(response, "POST"), status=response.status_code, url=response.url
        )

    def create_or_get_online_meeting(
        self, external_id: str, subject: str, start: datetime, end: datetime
    ) -> dict[str, Any]:
        """``POST /users/{id}/onlineMeetings/createOrGet``: the meeting carrying ``external_id``,
        created only if none exists yet. Graph accepts no lobby or presenter settings here, so a
        caller that needs them PATCHes them afterwards (see ``webinars.teams``). Used to reconcile
        an interrupted creation, never for the bulk path (that would double the calls)."""
        if not external_id:
            raise ValueError("external_id is required")
        if end <= start:
            raise ValueError("end must be after start")
        body = {
            "externalId": external_id,
            "subject": subject,
            "startDateTime": _iso_utc(start),
            "endDateTime": _iso_utc(end),
        }
        response = self._send("POST", self._user_path() + "/createOrGet", body)
        return self._check_meeting(
            self._parse(response, "POST"), status=response.status_code, url=response.url
        )

    def update_meeting_settings(
        self, meeting_id: str, *, allow_guests_bypass_lobby: bool = True, allowed_presenters: str = "organizer"
    ) -> dict[str, Any]:
        """PATCH the lobby and presenter settings (what ``createOrGet`` cannot set)."""
        settings_body = self.meeting_body(
            "x", datetime(2000, 1, 1, tzinfo=UTC), datetime(2000, 1, 2, tzinfo=UTC),
            allow_guests_bypass_lobby=allow_guests_bypass_lobby, allowed_presenters=allowed_presenters,
        )
        body = {k: settings_body[k] for k in ("lobbyBypassSettings", "allowedPresenters")}
        return self.request("PATCH", self._meeting_path(meeting_id), body)

    def get_online_meeting(self, meeting_id: str) -> dict[str, Any]:
        """Read one meeting (raises GraphNotFound if it was deleted in Teams)."""
        response = self._send("GET", self._meeting_path(meeting_id))
        return self._check_meeting(
            self._parse(response, "GET"), status=response.status_code, url=response.url
        )

    def update_online_meeting(
        self,
        meeting_id: str,
        *,
        subject: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> dict[str, Any]:
        """PATCH subject and/or times. Start and end travel together: Graph validates them as a pair."""
        if (start is None) != (end is None):
            raise ValueError("start and end must be updated together")
        body: dict[str, Any] = {}
        if subject is not None:
            body["subject"] = subject
        if start is not None and end is not None:
            if end <= start:
                raise ValueError("end must be after start")
            body["startDateTime"] = _iso_utc(start)
            body["endDateTime"] = _iso_utc(end)
        if not body:
            raise ValueError("nothing to update")
        return self.request("PATCH", self._meeting_path(meeting_id), body)

    def delete_online_meeting(self, meeting_id: str) -> bool:
        """Delete; returns False when the meeting was already gone (404), so retries are idempotent."""
        response = self._send("DELETE", self._meeting_path(meeting_id))
        if response.status_code == 404:
            return False
        self._parse(response, "DELETE")
        return True

    # -- batching ---------------------------------------------------------------------------------

    def batch(self, requests_: Iterable[Mapping[str, Any]]) -> list[BatchResponse]:
        """Run requests through ``POST /$batch`` (20 per batch), retrying throttled inner requests.

        Each request is ``{"method", "url", "body"?, "headers"?}`` with ``url`` relative to the
        version (``/users/{id}/onlineMeetings``). An inner 429/5xx is re-sent in a later batch that
        contains only the failed requests, after the largest inner ``Retry-After``; inner 4xx are
        final. Inner responses come back in any order, so they are matched by ``id``.
        """
        items = list(requests_)
        results: list[BatchResponse | None] = [None] * len(items)
        attempts = [0] * len(items)
        pending = list(range(len(items)))
        while pending:
            retry: list[int] = []
            wait = 0.0
            for chunk_start in range(0, len(pending), MAX_BATCH_SIZE):
                chunk = pending[chunk_start : chunk_start + MAX_BATCH_SIZE]
                payload = {"requests": [self._batch_entry(index, items[index]) for index in chunk]}
                envelope = self.request("POST", "/$batch", payload)
                responses = envelope.get("responses")
                if not isinstance(responses, list):
                    raise GraphResponseError(
                        "Graph $batch response has no 'responses' list",
                        method="POST",
                        url=self._url("/$batch"),
                    )
                by_id = {str(r.get("id")): r for r in responses if isinstance(r, dict)}
                for index in chunk:
                    inner = by_id.get(str(index))
                    method = str(items[index].get("method", "GET")).upper()
                    url = str(items[index].get("url", ""))
                    if inner is None or not isinstance(inner.get("status"), int):
                        results[index] = BatchResponse(
                            index,
                            0,
                            {},
                            None,
                            GraphResponseError(
                                f"Graph $batch response has no valid entry for request {index}",
                                method=method,
                                url=url,
                            ),
                        )
                        continue
                    status = inner["status"]
                    headers = {str(k): str(v) for k, v in (inner.get("headers") or {}).items()}
                    body = inner.get("body")
                    if status == 429 or status in RETRYABLE_5XX:
                        attempts[index] += 1
                        if attempts[index] <= self.config.max_retries:
                            retry.append(index)
                            wait = max(
                                wait, self._retry_delay(_header(headers, "Retry-After"), attempts[index])
                            )
                            continue
                        cls = GraphThrottledError if status == 429 else GraphUnavailableError
                        base = error_from_response(status, body, method=method, url=url)
                        error: GraphError | None = cls(
                            f"Giving up after {attempts[index]} attempts: {base.message}",
                            status=status,
                            code=base.code,
                            method=method,
                            url=url,
                        )
                    elif 200 <= status < 300:
                        error = None
                    else:
                        error = error_from_response(status, body, method=method, url=url)
                    results[index] = BatchResponse(index, status, headers, body, error)
            pending = sorted(retry)
            if pending:
                self.sleep(wait)
        return [r for r in results if r is not None]

    @staticmethod
    def _batch_entry(index: int, item: Mapping[str, Any]) -> dict[str, Any]:
        url = str(item["url"])
        if url.startswith("https://"):
            raise ValueError("batch URLs are relative to the Graph version, e.g. /users/{id}/onlineMeetings")
        entry: dict[str, Any] = {
            "id": str(index),
            "method": str(item.get("method", "GET")).upper(),
            "url": "/" + url.lstrip("/"),
        }
        headers = dict(item.get("headers") or {})
        if item.get("body") is not None:
            headers.setdefault("Content-Type", "application/json")
            entry["body"] = item["body"]
        if headers:
            entry["headers"] = headers
        return entry

    def create_online_meetings_batch(
        self, items: list[Mapping[str, Any]], *, raise_on_error: bool = True
    ) -> list[dict[str, Any]]:
        """Create many meetings with JSON batching; results in input order.

        ``items`` are dicts with the keyword arguments of :meth:`create_online_meeting`
        (``subject``, ``start``, ``end``, optional ``allow_guests_bypass_lobby``,
        ``allowed_presenters``). With ``raise_on_error`` a :class:`GraphBatchError` carries the
        created meetings (they exist in Teams and must be recorded) and the per-item errors;
        otherwise failed items are returned as ``{"error": {"code", "message"}, "status": N}``.
        """
        bodies = [
            self.meeting_body(
                item["subject"],
                item["start"],
                item["end"],
                allow_guests_bypass_lobby=item.get("allow_guests_bypass_lobby", True),
                allowed_presenters=item.get("allowed_presenters", "organizer"),
                external_id=item.get("external_id", ""),
            )
            for item in items
        ]
        path = self._user_path()
        responses = self.batch({"method": "POST", "url": path, "body": body} for body in bodies)
        created: list[dict[str, Any] | None] = []
        errors: dict[int, GraphError] = {}
        for response in responses:
            error = response.error
            meeting: dict[str, Any] | None = None
            if error is None:
                try:
                    meeting = self._check_meeting(response.body, status=response.status, url=path)
                except GraphResponseError as exc:
                    error = exc
            if error is not None:
                errors[response.index] = error
            created.append(meeting)
        if errors and raise_on_error:
            summary = "; ".join(
                f"#{i}: {e.code or e.status} {e.message}" for i, e in sorted(errors.items())[:5]
            )
            raise GraphBatchError(
                f"{len(errors)} of {len(items)} meetings could not be created: {summary}",
                results=created,
                errors=errors,
            )
        return [
            meeting
            if meeting is not None
            else {
                "error": {"code": errors[i].code or type(errors[i]).__name__, "message": errors[i].message},
                "status": errors[i].status,
            }
            for i, meeting in enumerate(created)
        ]

    # -- attendance -------------------------------------------------------------------------------

    def _list_all(self, path: str) -> list[dict[str, Any]]:
        """Follow ``@odata.nextLink`` to the end, refusing links that leave the Graph host
        (the bearer token must never be sent elsewhere) or that loop."""
        url = self._url(path)
        seen: set[str] = set()
        items: list[dict[str, Any]] = []
        for _ in range(_MAX_PAGES):
            seen.add(url)
            page = self.request("GET", url)
            value = page.get("value")
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise GraphResponseError(
                    "Graph collection response has no 'value' list of objects", method="GET", url=url
                )
            items.extend(value)
            next_link = page.get("@odata.nextLink")
            if not next_link:
                return items
            parts = urlsplit(str(next_link))
            if (parts.scheme, parts.netloc.lower()) != self._base_origin:
                raise GraphResponseError(
                    f"Refusing @odata.nextLink to another host: {next_link}", method="GET", url=url
                )
            if next_link in seen:
                raise GraphResponseError(f"@odata.nextLink loops back to {next_link}", method="GET", url=url)
            url = str(next_link)
        raise GraphResponseError(f"More than {_MAX_PAGES} pages", method="GET", url=url)

    def list_attendance_reports(self, meeting_id: str) -> list[dict[str, Any]]:
        """All attendance reports (one per session of the meeting); empty before the first one ends."""
        return self._list_all(f"{self._meeting_path(meeting_id)}/attendanceReports")

    def list_attendance_records(self, meeting_id: str, report_id: str) -> list[dict[str, Any]]:
        """All records of a report: ``emailAddress``, ``totalAttendanceInSeconds``, ``role``,
        ``identity`` and ``attendanceIntervals``. A report of a running meeting may be empty."""
        return self._list_all(
            f"{self._meeting_path(meeting_id)}/attendanceReports/"
            f"{quote(report_id, safe='')}/attendanceRecords"
        )
