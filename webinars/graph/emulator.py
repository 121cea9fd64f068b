"""A local Microsoft identity platform + Graph emulator over real HTTPS.

Microsoft's cloud is not reachable from CI or from the developers' machines, yet the client must be
exercised end to end: msal's OIDC discovery and client-credentials token request, TLS verification
with a custom CA bundle, Graph's request validation, paging, JSON batching and throttling. The
emulator is a small threaded HTTPS server on 127.0.0.1 that implements exactly the documented
surface the Academy uses and *enforces* request shapes, so a payload bug fails here the way it
would fail against Graph.

Typical use::

    with GraphEmulator() as emulator:
        client = GraphClient(emulator.config())
        meeting = client.create_online_meeting("Corso", start, end)
        emulator.faults.throttle(2, retry_after=3)   # the next two Graph calls get 429

Not a security boundary: tokens are opaque random strings, and it is meant for tests and demos.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import json
import random
import secrets
import shutil
import socket
import ssl
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .client import GRAPH_SCOPE, MAX_BATCH_SIZE, GraphConfig

__all__ = ["Fault", "Faults", "GraphEmulator", "LoggedRequest"]

JSON_TYPE = (
    "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"
)
ONLINE_MEETING_PROPERTIES = frozenset(
    {
        "subject",
        "startDateTime",
        "endDateTime",
        "lobbyBypassSettings",
        "allowedPresenters",
        "participants",
        "isEntryExitAnnounced",
        "allowMeetingChat",
        "allowTeamworkReactions",
        "recordAutomatically",
        "externalId",
        "chatInfo",
        "allowAttendeeToEnableCamera",
        "allowAttendeeToEnableMic",
        "joinMeetingIdSettings",
        "allowRecording",
        "allowTranscription",
        "watermarkProtection",
        "shareMeetingChatHistoryDefault",
        "audioConferencing",
    }
)
CREATE_OR_GET_PROPERTIES = frozenset(
    {"externalId", "subject", "startDateTime", "endDateTime", "participants", "chatInfo"}
)
PATCHABLE_PROPERTIES = ONLINE_MEETING_PROPERTIES - {"externalId", "chatInfo", "audioConferencing"}
LOBBY_SCOPES = frozenset(
    {
        "organizer",
        "organization",
        "organizationAndFederated",
        "everyone",
        "invited",
        "organizationExcludingGuests",
    }
)
PRESENTERS = frozenset({"everyone", "organization", "roleIsPresenter", "organizer"})
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class _HttpError(Exception):
    """Internal: abort an operation with a Graph-style error response."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


# --------------------------------------------------------------------------------------------------
# Fault injection
# --------------------------------------------------------------------------------------------------


@dataclass
class Fault:
    """One queued fault. ``target``: ``"graph"`` (any Graph operation, top-level or inside a batch),
    ``"batch"`` (the ``$batch`` envelope itself) or ``"token"``. ``match`` is a substring of
    ``"METHOD /path"`` (path relative to the Graph base) or a predicate on that string."""

    kind: str  # "status" | "malformed"
    remaining: int
    status: int = 0
    retry_after: float | None = None
    mode: str = ""
    target: str = "graph"
    match: str | Callable[[str], bool] | None = None

    def matches(self, target: str, signature: str) -> bool:
        if self.remaining <= 0 or self.target != target:
            return False
        if self.match is None:
            return True
        if callable(self.match):
            return bool(self.match(signature))
        return self.match in signature


class Faults:
    """Fault injection for tests: queued faults (deterministic) plus a seeded random failure rate.

    ``fail_rate`` applies to Graph operations, both top-level and inner batch requests, and answers
    with a status drawn from ``fail_statuses`` (429 responses carry ``Retry-After: retry_after``).
    ``delay`` slows every Graph response (to exercise client timeouts).
    """

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self.queue: list[Fault] = []
        self.fail_rate = 0.0
        self.fail_statuses: tuple[int, ...] = (429, 503)
        self.retry_after: float = 1
        self.delay = 0.0
        self.rng = random.Random(seed)
        self.injected: Counter[int | str] = Counter()

    def seed(self, seed: int) -> None:
        self.rng.seed(seed)

    def reset(self) -> None:
        with self._lock:
            self.queue.clear()
            self.fail_rate = 0.0
            self.delay = 0.0
            self.injected.clear()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.queue.append(fault)
        return fault

    def throttle(
        self,
        count: int = 1,
        retry_after: float | None = 1,
        *,
        target: str = "graph",
        match: str | Callable[[str], bool] | None = None,
    ) -> Fault:
        """The next ``count`` matching requests get HTTP 429 TooManyRequests with ``Retry-After``."""
        return self.add(Fault("status", count, 429, retry_after, target=target, match=match))

    def unavailable(
        self,
        count: int = 1,
        status: int = 503,
        retry_after: float | None = None,
        *,
        target: str = "graph",
        match: str | Callable[[str], bool] | None = None,
    ) -> Fault:
        """The next ``count`` matching requests get a 5xx (default 503 ServiceUnavailable)."""
        return self.add(Fault("status", count, status, retry_after, target=target, match=match))

    def malformed(
        self,
        count: int = 1,
        mode: str = "not-json",
        *,
        target: str = "graph",
        match: str | Callable[[str], bool] | None = None,
    ) -> Fault:
        """Execute the request but garble the response. Modes: ``not-json`` (HTTP 200 text/html),
        ``truncated`` (cut JSON), ``missing-join-url`` (meeting without ``joinWebUrl``)."""
        if mode not in {"not-json", "truncated", "missing-join-url"}:
            raise ValueError(f"unknown malformed mode {mode!r}")
        return self.add(Fault("malformed", count, mode=mode, target=target, match=match))

    def take(self, kind: str, target: str, signature: str) -> Fault | None:
        """Consume the first matching queued fault, or draw one from ``fail_rate``."""
        with self._lock:
            for fault in self.queue:
                if fault.kind == kind and fault.matches(target, signature):
                    fault.remaining -= 1
                    self.injected[fault.status or fault.mode] += 1
                    return fault
            if (
                kind == "status"
                and target == "graph"
                and self.fail_rate > 0
                and self.rng.random() < self.fail_rate
            ):
                status = self.rng.choice(self.fail_statuses)
                self.injected[status] += 1
                return Fault("status", 0, status, self.retry_after if status == 429 else None)
        return None


# --------------------------------------------------------------------------------------------------
# TLS material
# --------------------------------------------------------------------------------------------------


def _make_tls_material(directory: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA plus a server certificate for 127.0.0.1/localhost signed by it.

    Two certificates rather than one self-signed leaf: OpenSSL's strict verification (and some
    Python builds) reject a CA certificate used directly as a server certificate.
    """
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Academy Graph Emulator CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = (
        directory / "ca.pem",
        directory / "server.pem",
        directory / "server-key.pem",
    )
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return ca_path, cert_path, key_path


def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _public(item: Mapping[str, Any]) -> dict[str, Any]:
    """Copy without the emulator's private bookkeeping keys (``_organizer``)."""
    return {k: v for k, v in item.items() if not k.startswith("_")}


def _parse_datetime(name: str, value: Any) -> datetime:
    """Graph's DateTimeOffset: ISO 8601 with an explicit offset or Z."""
    if not isinstance(value, str):
        raise _HttpError(
            400, "BadRequest", f"Invalid value for '{name}': expected an ISO 8601 date-time string."
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _HttpError(
            400,
            "BadRequest",
            f"Cannot convert the literal '{value}' to the expected type 'Edm.DateTimeOffset' for '{name}'.",
        ) from None
    if parsed.tzinfo is None:
        raise _HttpError(400, "BadRequest", f"'{name}' must include a UTC offset or 'Z': '{value}'.")
    return parsed


# --------------------------------------------------------------------------------------------------
# HTTP server
# --------------------------------------------------------------------------------------------------


@dataclass
class LoggedRequest:
    """One request as the emulator saw it. ``kind``: discovery, token, graph, batch, batch-inner, other."""

    method: str
    path: str
    status: int
    kind: str
    body: Any = None
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 15  # idle keep-alive connections
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silence the default stderr access log (the request log is in ``emulator.requests``)."""

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, headers, body = self.server.emulator._handle(self.command, self.path, dict(self.headers), raw)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: GraphEmulator, context: ssl.SSLContext) -> None:
        self.emulator = emulator
        self.ssl_context = context
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # TLS handshake in the worker thread, so one slow or failing client cannot block accept().
        try:
            # Without TCP_NODELAY, headers and body go out as two segments and Nagle + delayed ACK
            # add ~40 ms to every response.
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            request.close()
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client disconnects are normal (keep-alive pools closing); do not spam stderr."""


# --------------------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------------------


class GraphEmulator:
    """Identity platform (OIDC discovery + client-credentials token) and Graph onlineMeetings,
    attendance reports and JSON batching, served over HTTPS on 127.0.0.1.

    State is public for assertions: ``meetings`` (id -> meeting), ``reports`` (meeting id -> list of
    reports), ``requests`` (:class:`LoggedRequest` list), ``counters`` and ``faults``.
    """

    def __init__(
        self,
        *,
        tenant_id: str = "00000000-0000-4000-8000-00000000a1a1",
        client_id: str = "11111111-1111-4111-8111-111111111111",
        client_secret: str = "emulator-secret",
        organizer_user_id: str = "22222222-2222-4222-8222-222222222222",
        host: str = "127.0.0.1",
        port: int = 0,
        graph_path: str = "/v1.0",
        page_size: int = 100,
        token_lifetime: int = 3599,
        seed: int = 0,
        shuffle_batch_responses: bool = True,
    ) -> None:
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.organizer_user_id = organizer_user_id
        self.host = host
        self.port = port
        self.graph_path = "/" + graph_path.strip("/")
        self.page_size = page_size
        self.token_lifetime = token_lifetime
        self.shuffle_batch_responses = shuffle_batch_responses
        self.faults = Faults(seed)
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self.tenants: set[str] = {tenant_id}
        #: client_id -> {"tenant": ..., "secret": ..., "certificates": [x509.Certificate]}
        self.clients: dict[str, dict[str, Any]] = {}
        #: user id -> {"access_policy": bool}
        self.users: dict[str, dict[str, Any]] = {}
        self.meetings: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, list[dict[str, Any]]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.requests: list[LoggedRequest] = []
        self.counters: Counter[str] = Counter()
        self.register_client(client_id, secret=client_secret, tenant_id=tenant_id)
        self.add_user(organizer_user_id)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._tmpdir: Path | None = None
        self.ca_bundle = ""

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> GraphEmulator:
        """Generate the TLS material, bind and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._tmpdir = Path(tempfile.mkdtemp(prefix="graph-emulator-"))
        ca_path, cert_path, key_path = _make_tls_material(self._tmpdir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(str(cert_path), str(key_path))
        self._server = _Server((self.host, self.port), self, context)
        self.port = self._server.server_address[1]
        self.ca_bundle = str(ca_path)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"graph-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and delete the temporary certificates."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def serve_forever(self) -> None:
        """Foreground mode for the ``graph_emulator`` management command."""
        self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> GraphEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"https://{self.host}:{self.port}"

    @property
    def authority_url(self) -> str:
        """Pass as ``authority_url``; msal appends ``/{tenant}``."""
        return self.base_url

    @property
    def graph_base_url(self) -> str:
        return self.base_url + self.graph_path

    def config(
        self,
        *,
        tenant_id: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        organizer_user_id: str | None = None,
        **overrides: Any,
    ) -> GraphConfig:
        """A :class:`GraphConfig` aimed at this emulator (authority, Graph URL and CA bundle)."""
        if not self.ca_bundle:
            raise RuntimeError("start the emulator first")
        values: dict[str, Any] = {
            "tenant_id": self.tenant_id if tenant_id is None else tenant_id,
            "client_id": self.client_id if client_id is None else client_id,
            "client_secret": self.client_secret if client_secret is None else client_secret,
            "organizer_user_id": self.organizer_user_id if organizer_user_id is None else organizer_user_id,
            "authority_url": self.authority_url,
            "graph_base_url": self.graph_base_url,
            "ca_bundle": self.ca_bundle,
        }
        values.update(overrides)
        return GraphConfig(**values)

    def env(self) -> dict[str, str]:
        """The TEAMS_* environment variables that point the Academy at this emulator."""
        return {
            "TEAMS_BACKEND": "graph",
            "TEAMS_AUTHORITY_URL": self.authority_url,
            "TEAMS_GRAPH_BASE_URL": self.graph_base_url,
            "TEAMS_CA_BUNDLE": self.ca_bundle,
            "TEAMS_TENANT_ID": self.tenant_id,
            "TEAMS_CLIENT_ID": self.client_id,
            "TEAMS_CLIENT_SECRET": self.client_secret,
            "TEAMS_ORGANIZER_USER_ID": self.organizer_user_id,
        }

    # -- seeding ----------------------------------------------------------------------------------

    def register_client(
        self,
        client_id: str,
        *,
        secret: str | None = None,
        tenant_id: str | None = None,
        certificate_pem: bytes | None = None,
    ) -> None:
        """Register an app (a client secret and/or certificate credentials)."""
        with self._lock:
            entry = self.clients.setdefault(
                client_id, {"tenant": tenant_id or self.tenant_id, "secret": None, "certificates": []}
            )
            if secret is not None:
                entry["secret"] = secret
            if certificate_pem is not None:
                entry["certificates"].append(x509.load_pem_x509_certificate(certificate_pem))

    def make_client_certificate(self, client_id: str | None = None) -> tuple[str, str]:
        """Create an RSA key + certificate, register it for the client, and return
        ``(pem_path, sha1_thumbprint_hex)``; the PEM holds the key and the certificate."""
        if self._tmpdir is None:
            raise RuntimeError("start the emulator first")
        client_id = client_id or self.client_id
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"academy-{client_id[:8]}")])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=30))
            .sign(key, hashes.SHA256())
        )
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        path = self._tmpdir / f"client-{uuid.uuid4().hex[:8]}.pem"
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            + cert_pem
        )
        self.register_client(client_id, certificate_pem=cert_pem)
        return str(path), cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - x5t is SHA-1

    def add_user(self, user_id: str, *, access_policy: bool = True) -> None:
        """A user in the tenant; ``access_policy`` says whether the app's access policy covers them."""
        with self._lock:
            self.users[user_id] = {"access_policy": access_policy}

    def revoke_access_policy(self, user_id: str | None = None) -> None:
        with self._lock:
            self.users[user_id or self.organizer_user_id]["access_policy"] = False

    def revoke_tokens(self) -> None:
        """Invalidate every issued token (Graph then answers 401 InvalidAuthenticationToken)."""
        with self._lock:
            self.tokens.clear()

    def add_attendance_report(
        self,
        meeting_id: str,
        records: Iterable[Mapping[str, Any]] = (),
        *,
        report_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> dict[str, Any]:
        """Seed an attendance report. Each record may use short keys (``email``, ``seconds``,
        ``intervals`` as ``[{"join", "leave"}]``, ``name``, ``role``, ``id``) or Graph's own keys."""
        with self._lock:
            meeting = self.meetings.get(meeting_id)
            if meeting is None:
                raise KeyError(f"unknown meeting {meeting_id!r}")
            started = start or datetime.fromisoformat(meeting["startDateTime"])
            ended = end or datetime.fromisoformat(meeting["endDateTime"])
            built = [self._build_record(r, started) for r in records]
            report = {
                "id": report_id or str(uuid.uuid4()),
                "totalParticipantCount": len(built),
                "meetingStartDateTime": _iso(started),
                "meetingEndDateTime": _iso(ended),
            }
            self.reports.setdefault(meeting_id, []).append(report)
            self.records[report["id"]] = built
            return dict(report)

    def add_attendance_records(self, report_id: str, records: Iterable[Mapping[str, Any]]) -> None:
        """Append records to an existing report (a running meeting's report filling up)."""
        with self._lock:
            report = next(r for reports in self.reports.values() for r in reports if r["id"] == report_id)
            start = datetime.fromisoformat(report["meetingStartDateTime"])
            self.records[report_id].extend(self._build_record(r, start) for r in records)
            report["totalParticipantCount"] = len(self.records[report_id])

    @staticmethod
    def _build_record(spec: Mapping[str, Any], meeting_start: datetime) -> dict[str, Any]:
        if "emailAddress" in spec:
            return dict(spec)
        intervals = []
        for interval in spec.get("intervals") or []:
            join = interval.get("join") or interval.get("joinDateTime")
            leave = interval.get("leave") or interval.get("leaveDateTime")
            join_dt = join if isinstance(join, datetime) else datetime.fromisoformat(str(join))
            leave_dt = leave if isinstance(leave, datetime) else datetime.fromisoformat(str(leave))
            intervals.append(
                {
                    "joinDateTime": _iso(join_dt),
                    "leaveDateTime": _iso(leave_dt),
                    "durationInSeconds": int((leave_dt - join_dt).total_seconds()),
                }
            )
        seconds = spec.get("seconds")
        if not intervals:
            seconds = int(seconds or 0)
            intervals.append(
                {
                    "joinDateTime": _iso(meeting_start),
                    "leaveDateTime": _iso(meeting_start + timedelta(seconds=seconds)),
                    "durationInSeconds": seconds,
                }
            )
        if seconds is None:
            seconds = sum(i["durationInSeconds"] for i in intervals)
        email = spec.get("email", "")
        return {
            "id": spec.get("id") or str(uuid.uuid4()),
            "emailAddress": email,
            "totalAttendanceInSeconds": int(seconds),
            "role": spec.get("role", "Attendee"),
            "identity": {
                "id": spec.get("id") or "",
                "displayName": spec.get("name") or email.split("@")[0],
                "tenantId": None,
            },
            "attendanceIntervals": intervals,
        }

    def reset(self) -> None:
        """Forget meetings, reports, the request log, counters and faults (keeps clients and users)."""
        with self._lock:
            self.meetings.clear()
            self.reports.clear()
            self.records.clear()
            self.requests.clear()
            self.counters.clear()
        self.faults.reset()

    # -- inspection -------------------------------------------------------------------------------

    def graph_requests(self, method: str | None = None) -> list[LoggedRequest]:
        """Graph operations (top-level and inside batches), optionally filtered by method."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.kind in {"graph", "batch-inner"} and (method is None or r.method == method.upper())
            ]

    def _log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(entry)
            self.counters[entry.kind] += 1

    # -- HTTP entry point -------------------------------------------------------------------------

    def _handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        lower_headers = {k.lower(): v for k, v in headers.items()}
        segments = path.strip("/").split("/")
        if (
            method == "GET"
            and len(segments) == 4
            and segments[1:] == ["v2.0", ".well-known", "openid-configuration"]
        ):
            status, out_headers, body = self._discovery(unquote(segments[0]))
            kind, logged_body = "discovery", None
        elif method == "POST" and len(segments) == 4 and segments[1:] == ["oauth2", "v2.0", "token"]:
            status, out_headers, body = self._token(unquote(segments[0]), lower_headers, raw)
            kind, logged_body = "token", None  # never keep secrets in the log
        elif path == self.graph_path or path.startswith(self.graph_path + "/"):
            sub = path[len(self.graph_path) :] or "/"
            kind = "batch" if sub == "/$batch" else "graph"
            status, out_headers, body, logged_body = self._graph_outer(method, sub, query, lower_headers, raw)
        else:
            kind, logged_body = "other", None
            status, out_headers, body = self._json(
                404, {"error": {"code": "NotFound", "message": f"No route {path}"}}
            )
        self._log(
            LoggedRequest(
                method,
                path,
                status,
                kind,
                logged_body,
                query,
                {k: v for k, v in lower_headers.items() if k != "authorization"},
            )
        )
        return status, out_headers, body

    @staticmethod
    def _json(
        status: int, obj: Any, headers: Mapping[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        out = {"Content-Type": JSON_TYPE, "Cache-Control": "no-store"}
        out.update(headers or {})
        return status, out, json.dumps(obj).encode()

    # -- identity platform ------------------------------------------------------------------------

    def _aad_error(
        self, status: int, error: str, aadsts: int, description: str
    ) -> tuple[int, dict[str, str], bytes]:
        trace = str(uuid.uuid4())
        return self._json(
            status,
            {
                "error": error,
                "error_description": f"AADSTS{aadsts}: {description} Trace ID: {trace} "
                f"Correlation ID: {uuid.uuid4()} Timestamp: {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ}",
                "error_codes": [aadsts],
                "timestamp": f"{datetime.now(UTC):%Y-%m-%d %H:%M:%SZ}",
                "trace_id": trace,
                "correlation_id": str(uuid.uuid4()),
                "error_uri": f"{self.base_url}/error?code={aadsts}",
            },
        )

    def _discovery(self, tenant: str) -> tuple[int, dict[str, str], bytes]:
        if tenant not in self.tenants:
            return self._aad_error(400, "invalid_tenant", 90002, f"Tenant '{tenant}' not found.")
        base = f"{self.base_url}/{tenant}"
        return self._json(
            200,
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "response_modes_supported": ["query", "fragment", "form_post"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "tenant_region_scope": "EU",
                "cloud_instance_name": "emulator",
                "msgraph_host": f"{self.host}:{self.port}",
            },
        )

    def _token(self, tenant: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], bytes]:
        fault = self.faults.take("status", "token", "POST /token")
        if fault is not None:
            return self._fault_response(fault)
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return self._aad_error(
                400, "invalid_request", 900144, "The request body must be form-urlencoded."
            )
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        if tenant not in self.tenants:
            return self._aad_error(400, "invalid_request", 90002, f"Tenant '{tenant}' not found.")
        if form.get("grant_type") != "client_credentials":
            return self._aad_error(
                400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        client_id = form.get("client_id", "")
        client = self.clients.get(client_id)
        if client is None or client["tenant"] != tenant:
            return self._aad_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory '{tenant}'.",
            )
        scopes = form.get("scope", "").split()
        if GRAPH_SCOPE not in scopes:
            return self._aad_error(
                400,
                "invalid_scope",
                1002012,
                f"The provided value for scope {form.get('scope', '')} is not valid. "
                "Client credential flows must have a scope value with /.default suffixed "
                "to the resource identifier (application ID URI).",
            )
        if "client_secret" in form:
            expected = client["secret"] or ""
            if not expected or not hmac.compare_digest(form["client_secret"].encode(), expected.encode()):
                return self._aad_error(
                    401,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure "
                    "the secret being sent in the request is the client secret value, not "
                    "the client secret ID, for a secret added to app "
                    f"'{client_id}'.",
                )
        elif "client_assertion" in form:
            problem = self._check_assertion(form, client, f"{self.base_url}/{tenant}/oauth2/v2.0/token")
            if problem:
                return self._aad_error(401, "invalid_client", problem[0], problem[1])
        else:
            return self._aad_error(
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following "
                "parameter: 'client_assertion' or 'client_secret'.",
            )
        token = secrets.token_urlsafe(32)
        with self._lock:
            self.tokens[token] = {
                "client_id": client_id,
                "tenant": tenant,
                "expires_at": time.time() + self.token_lifetime,
            }
        return self._json(
            200,
            {
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "ext_expires_in": self.token_lifetime,
                "access_token": token,
            },
        )

    @staticmethod
    def _check_assertion(
        form: dict[str, str], client: dict[str, Any], audience: str
    ) -> tuple[int, str] | None:
        """Verify a private_key_jwt assertion (RS256 with x5t, or PS256 with x5t#S256)."""
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return 700025, "Client assertion type is invalid."
        try:
            header_b64, payload_b64, signature_b64 = form["client_assertion"].split(".")
            header = json.loads(_b64url_decode(header_b64))
            payload = json.loads(_b64url_decode(payload_b64))
            signature = _b64url_decode(signature_b64)
        except (ValueError, json.JSONDecodeError):
            return 50027, "JWT token is invalid or malformed."
        alg = header.get("alg")
        for cert in client["certificates"]:
            if alg == "RS256" and str(header.get("x5t", "")).rstrip("=") == _b64url(
                cert.fingerprint(hashes.SHA1())
            ):  # noqa: S303
                pad: padding.AsymmetricPadding = padding.PKCS1v15()
            elif alg == "PS256" and str(header.get("x5t#S256", "")).rstrip("=") == _b64url(
                cert.fingerprint(hashes.SHA256())
            ):
                pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
            else:
                continue
            try:
                cert.public_key().verify(
                    signature, f"{header_b64}.{payload_b64}".encode(), pad, hashes.SHA256()
                )
            except InvalidSignature:
                return 700027, "Client assertion contains an invalid signature."
            if payload.get("aud") != audience:
                return (
                    700212,
                    f"No matching federated identity record found for presented assertion audience "
                    f"'{payload.get('aud')}'.",
                )
            if payload.get("iss") != form.get("client_id") or payload.get("sub") != form.get("client_id"):
                return 700023, "Client assertion issuer/subject does not match the client id."
            if float(payload.get("exp", 0)) < time.time():
                return 700024, "Client assertion is not within its valid time range."
            return None
        return (
            700027,
            "The certificate with identifier used to sign the client assertion is not registered "
            "on application.",
        )

    # -- Graph ------------------------------------------------------------------------------------

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
            else:
                status, out_headers, obj = self._operation(method, sub, query, body)
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
                status, out_headers, obj = self._operation(method, sub, query, body)
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

    # -- operations -------------------------------------------------------------------------------

    def _operation(
        self, method: str, sub: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        segments = [unquote(s) for s in sub.strip("/").split("/")]
        if len(segments) < 3 or segments[0] != "users" or segments[2] != "onlineMeetings":
            raise _HttpError(
                400, "BadRequest", f"Resource not found for the segment '{'/'.join(segments[:3])}'."
            )
        user_id = segments[1]
        self._check_user(user_id, method)
        rest = segments[3:]
        if rest == ["createOrGet"]:
            if method != "POST":
                raise _HttpError(405, "MethodNotAllowed", f"{method} is not supported on createOrGet.")
            return self._create_or_get(user_id, body)
        if not rest:
            if method != "POST":
                raise _HttpError(
                    405, "MethodNotAllowed", f"{method} is not supported on onlineMeetings here."
                )
            return 201, {}, self._create_meeting(user_id, body)
        meeting = self._get_meeting(user_id, rest[0])
        if len(rest) == 1:
            if method == "GET":
                return 200, {}, _public(meeting)
            if method == "PATCH":
                return 200, {}, self._patch_meeting(meeting, body)
            if method == "DELETE":
                with self._lock:
                    self.meetings.pop(meeting["id"], None)
                return 204, {}, None
            raise _HttpError(405, "MethodNotAllowed", f"{method} is not supported on an onlineMeeting.")
        if method != "GET" or rest[1] != "attendanceReports":
            raise _HttpError(400, "BadRequest", f"Resource not found for the segment '{rest[1]}'.")
        reports = self.reports.get(meeting["id"], [])
        if len(rest) == 2:
            return 200, {}, self._page(sub, query, reports, "meetingAttendanceReport")
        report = next((r for r in reports if r["id"] == rest[2]), None)
        if report is None:
            raise _HttpError(404, "NotFound", f"Attendance report '{rest[2]}' not found.")
        if len(rest) == 3:
            return 200, {}, _public(report)
        if len(rest) == 4 and rest[3] == "attendanceRecords":
            return 200, {}, self._page(sub, query, self.records.get(report["id"], []), "attendanceRecord")
        raise _HttpError(400, "BadRequest", f"Resource not found for the segment '{rest[-1]}'.")

    def _check_user(self, user_id: str, method: str) -> None:
        user = self.users.get(user_id)
        if user is None:
            raise _HttpError(404, "NotFound", f"The user '{user_id}' was not found in the tenant.")
        if not user["access_policy"]:
            raise _HttpError(
                403,
                "Forbidden",
                "No application access policy found for this app. "
                f"Application is not allowed to {method} onlineMeetings "
                "on behalf of this user.",
            )

    def _get_meeting(self, user_id: str, meeting_id: str) -> dict[str, Any]:
        meeting = self.meetings.get(meeting_id)
        if meeting is None or meeting["_organizer"] != user_id:
            raise _HttpError(404, "NotFound", f"The onlineMeeting '{meeting_id}' was not found.")
        return meeting

    def _page(
        self, sub: str, query: dict[str, list[str]], items: list[dict[str, Any]], odata_type: str
    ) -> dict[str, Any]:
        try:
            offset = int((query.get("$skiptoken") or ["0"])[0])
            size = int((query.get("$top") or [str(self.page_size)])[0])
        except ValueError:
            raise _HttpError(400, "BadRequest", "Invalid $skiptoken or $top.") from None
        size = max(1, min(size, 999))
        page = [_public(item) for item in items[offset : offset + size]]
        result: dict[str, Any] = {
            "@odata.context": f"{self.graph_base_url}/$metadata#{odata_type}s",
            "value": page,
        }
        if offset + size < len(items):
            result["@odata.nextLink"] = (
                f"{self.graph_base_url}{quote(sub, safe='/')}?$top={size}&$skiptoken={offset + size}"
            )
        return result

    def _validate_meeting_fields(self, body: Any, allowed: frozenset[str]) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _HttpError(
                400, "BadRequest", "A JSON object with the onlineMeeting properties is required."
            )
        for name in body:
            if name not in allowed:
                raise _HttpError(
                    400,
                    "BadRequest",
                    f"The property '{name}' does not exist on type 'microsoft.graph.onlineMeeting'.",
                )
        if "subject" in body and not isinstance(body["subject"], str | None):
            raise _HttpError(400, "BadRequest", "Invalid value for 'subject': expected a string.")
        lobby = body.get("lobbyBypassSettings")
        if lobby is not None:
            if not isinstance(lobby, dict) or lobby.get("scope") not in LOBBY_SCOPES:
                raise _HttpError(
                    400,
                    "BadRequest",
                    "Invalid value for 'lobbyBypassSettings.scope': "
                    f"{lobby.get('scope') if isinstance(lobby, dict) else lobby!r}.",
                )
            if not isinstance(lobby.get("isDialInBypassEnabled", False), bool):
                raise _HttpError(
                    400, "BadRequest", "'lobbyBypassSettings.isDialInBypassEnabled' must be a boolean."
                )
        if "allowedPresenters" in body and body["allowedPresenters"] not in PRESENTERS:
            raise _HttpError(
                400, "BadRequest", f"Invalid value for 'allowedPresenters': {body['allowedPresenters']!r}."
            )
        return body

    def _validate_times(self, body: dict[str, Any]) -> tuple[datetime, datetime]:
        for name in ("startDateTime", "endDateTime"):
            if body.get(name) in (None, ""):
                raise _HttpError(400, "BadRequest", f"The '{name}' property is required.")
        start = _parse_datetime("startDateTime", body["startDateTime"])
        end = _parse_datetime("endDateTime", body["endDateTime"])
        if end <= start:
            raise _HttpError(400, "BadRequest", "'endDateTime' must be after 'startDateTime'.")
        return start, end

    def _create_meeting(self, user_id: str, body: Any) -> dict[str, Any]:
        body = self._validate_meeting_fields(body, ONLINE_MEETING_PROPERTIES)
        start, end = self._validate_times(body)
        thread = f"19:meeting_{_b64url(secrets.token_bytes(24))}@thread.v2"
        meeting_id = _b64url(f"1*{user_id}*0**{thread}".encode())
        context = quote(json.dumps({"Tid": self.tenant_id, "Oid": user_id}, separators=(",", ":")), safe="")
        meeting = {
            "id": meeting_id,
            "creationDateTime": _iso(datetime.now(UTC)),
            "startDateTime": _iso(start),
            "endDateTime": _iso(end),
            "subject": body.get("subject"),
            "joinWebUrl": (
                f"https://teams.microsoft.com/l/meetup-join/{quote(thread, safe='')}/0?context={context}"
            ),
            "joinMeetingIdSettings": {
                "isPasscodeRequired": True,
                "joinMeetingId": str(self._rng.randrange(10**11, 10**12)),
                "passcode": secrets.token_hex(3),
            },
            "chatInfo": {"threadId": thread, "messageId": "0", "replyChainMessageId": None},
            "lobbyBypassSettings": body.get("lobbyBypassSettings")
            or {"scope": "organization", "isDialInBypassEnabled": False},
            "allowedPresenters": body.get("allowedPresenters", "everyone"),
            "isEntryExitAnnounced": body.get("isEntryExitAnnounced", True),
            "participants": {
                "organizer": {
                    "upn": None,
                    "role": "presenter",
                    "identity": {"user": {"id": user_id, "tenantId": self.tenant_id}},
                },
                "attendees": [],
            },
            "videoTeleconferenceId": None,
            "externalId": body.get("externalId"),
        }
        with self._lock:
            self.meetings[meeting_id] = {**meeting, "_organizer": user_id}
        return meeting

    def _create_or_get(self, user_id: str, body: Any) -> tuple[int, dict[str, str], dict[str, Any]]:
        """``createOrGet``: 200 with the organizer's meeting carrying ``externalId``, else 201 with a
        new one. Like Graph, it accepts only a handful of properties (no lobby settings)."""
        body = self._validate_meeting_fields(body, CREATE_OR_GET_PROPERTIES)
        external_id = body.get("externalId")
        if not isinstance(external_id, str) or not external_id:
            raise _HttpError(400, "BadRequest", "The 'externalId' property is required.")
        with self._lock:
            for meeting in self.meetings.values():
                if meeting["_organizer"] == user_id and meeting.get("externalId") == external_id:
                    return 200, {}, _public(meeting)
            return 201, {}, self._create_meeting(user_id, body)

    def _patch_meeting(self, meeting: dict[str, Any], body: Any) -> dict[str, Any]:
        body = self._validate_meeting_fields(body, PATCHABLE_PROPERTIES)
        if ("startDateTime" in body) != ("endDateTime" in body):
            raise _HttpError(400, "BadRequest", "'startDateTime' and 'endDateTime' must be updated together.")
        update = dict(body)
        if "startDateTime" in body:
            start, end = self._validate_times(body)
            update["startDateTime"], update["endDateTime"] = _iso(start), _iso(end)
        with self._lock:
            meeting.update(update)
            return _public(meeting)
