"""The emulator object: state, lifecycle, seeding and the HTTP entry point; the routes are mixins."""

from __future__ import annotations

import json
import random
import shutil
import ssl
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from webinars.graph.client import GraphConfig

from .attendance import AttendanceSeeding
from .batch import GraphFront
from .common import (
    JSON_TYPE,
    LoggedRequest,
)
from .faults import Faults
from .identity import IdentityRoutes
from .meetings import MeetingRoutes
from .server import _make_tls_material, _Server


class GraphEmulator(IdentityRoutes, GraphFront, MeetingRoutes, AttendanceSeeding):
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
        #: Records in an ``$expand=attendanceRecords`` answer (not paged); None: one page.
        self.expand_limit: int | None = None
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

    def delete_meeting(self, meeting_id: str) -> None:
        """Someone deleted the meeting in Teams: it and its reports answer 404 from now on."""
        with self._lock:
            self.meetings.pop(meeting_id)
            for report in self.reports.pop(meeting_id, []):
                self.records.pop(report["id"], None)

    def delete_attendance_reports(self, meeting_id: str) -> None:
        """The reports are gone (deleted, or past Teams' retention); the meeting stays."""
        with self._lock:
            for report in self.reports.pop(meeting_id, []):
                self.records.pop(report["id"], None)

    def revoke_tokens(self) -> None:
        """Invalidate every issued token (Graph then answers 401 InvalidAuthenticationToken)."""
        with self._lock:
            self.tokens.clear()


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

