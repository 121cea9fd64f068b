"""The emulator: a threaded HTTP server on 127.0.0.1 with an ephemeral port, or HTTPS (``tls=True``)
with a throw-away CA, as Microsoft's endpoints are.

``emulator.next_identity`` is the account that "types its password" at the next authorize request;
``emulator.tamper`` changes the next id_token (another audience, an expired token, another issuer, a
wrong nonce, a key nobody published) or replays the last one. ``rotate_keys()`` signs with a new key
and publishes it, keeping or dropping the old one, as Microsoft does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
import socket
import ssl
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import certifi
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.fakes.graph_emulator.server import _make_tls_material


def _new_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex[:16], "use": "sig", "alg": "RS256"})


class _TLSServer(ThreadingHTTPServer):
    """HTTPS: the TLS handshake happens in the request's thread, so a client that never finishes it
    cannot block ``accept()``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler, context: ssl.SSLContext) -> None:
        self.ssl_context = context
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        try:
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            request.close()
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser dropping a connection is normal; nothing to print."""


class OIDCEmulator:
    def __init__(self, client_id: str = "academy-client", client_secret: str = "academy-secret", *,
                 tls: bool = False, port: int = 0):
        self.client_id, self.client_secret = client_id, client_secret
        self.keys = [_new_key()]
        self.signing_key = self.keys[0]
        self.next_identity: dict = {}
        self.tamper: dict = {}
        self.codes: dict[str, dict] = {}
        self.last_id_token = ""
        self.requests: list[tuple[str, str]] = []
        # ``ca_bundle``: the system's CAs plus the emulator's, for REQUESTS_CA_BUNDLE (nothing else stops
        # being trusted); ``spki_sha256``: the server key's pin, for Chromium's
        # --ignore-certificate-errors-spki-list.
        self.ca_bundle = self.spki_sha256 = ""
        self._tmpdir: Path | None = None
        if tls:
            self._tmpdir = Path(tempfile.mkdtemp(prefix="oidc-emulator-"))
            ca_path, cert_path, key_path = _make_tls_material(self._tmpdir)
            bundle = self._tmpdir / "ca-bundle.pem"
            bundle.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + ca_path.read_bytes())
            self.ca_bundle = str(bundle)
            spki = x509.load_pem_x509_certificate(cert_path.read_bytes()).public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            self.spki_sha256 = base64.b64encode(hashlib.sha256(spki).digest()).decode()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(str(cert_path), str(key_path))
            self._server: ThreadingHTTPServer = _TLSServer(("127.0.0.1", port), self._handler(), context)
        else:
            self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        scheme = "https" if tls else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -----------------------------------------------------------------------------------
    def start(self) -> OIDCEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    @property
    def authority(self) -> str:
        return f"{self.base_url}/organizations/v2.0"

    def issuer(self, tid: str) -> str:
        return f"{self.base_url}/{tid}/v2.0"

    def rotate_keys(self, *, keep_old: bool = True) -> None:
        key = _new_key()
        self.keys = ([*self.keys, key] if keep_old else [key])
        self.signing_key = key

    # --- the protocol --------------------------------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": f"{self.base_url}/{{tenantid}}/v2.0",
            "authorization_endpoint": f"{self.base_url}/organizations/oauth2/v2.0/authorize",
            "token_endpoint": f"{self.base_url}/organizations/oauth2/v2.0/token",
            "jwks_uri": f"{self.base_url}/organizations/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                      "client_secret_basic"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
        }

    def jwks(self) -> dict:
        return {"keys": [k.as_dict(private=False) for k in self.keys]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict]:
        problems = [p for p, ok in (
            ("response_type", query.get("response_type") == "code"),
            ("client_id", query.get("client_id") == self.client_id),
            ("scope", "openid" in query.get("scope", "").split()),
            ("pkce", query.get("code_challenge_method") == "S256" and bool(query.get("code_challenge"))),
            ("nonce", bool(query.get("nonce"))),
            ("redirect_uri", bool(query.get("redirect_uri"))),
        ) if not ok]
        if problems:
            return 400, {"error": "invalid_request", "error_description": ",".join(problems)}
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"redirect_uri": query["redirect_uri"], "challenge": query["code_challenge"],
                            "nonce": query["nonce"], "identity": dict(self.next_identity)}
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, {"Location": location}

    def token(self, form: dict[str, str]) -> tuple[int, dict]:
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        id_token = self.id_token(grant["identity"], grant["nonce"])
        return 200, {"token_type": "Bearer", "expires_in": 3600, "access_token": secrets.token_urlsafe(24),
                     "scope": "openid profile email", "id_token": id_token}

    def id_token(self, identity: dict, nonce: str) -> str:
        tamper, self.tamper = self.tamper, {}
        if tamper.get("replay") and self.last_id_token:
            return self.last_id_token
        now = int(time.time())
        tid = identity["tid"]
        claims = {"aud": self.client_id, "iss": self.issuer(tid), "iat": now, "nbf": now, "exp": now + 3600,
                  "nonce": nonce, "uti": secrets.token_urlsafe(16), "ver": "2.0", "sub": secrets.token_urlsafe(16),
                  "amr": ["pwd"], **identity}
        if "expired" in tamper:
            claims["exp"], claims["iat"], claims["nbf"] = now - 3600, now - 7200, now - 7200
        for name in ("aud", "iss", "nonce"):
            if name in tamper:
                claims[name] = tamper[name]
        key = _new_key() if tamper.get("unpublished_key") else self.signing_key
        token = jwt.encode({"alg": "RS256", "typ": "JWT", "kid": key.kid}, claims, key)
        self.last_id_token = token
        return token

    # --- HTTP ----------------------------------------------------------------------------------------
    def _handler(self):
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet tests
                pass

            def _send(self, status: int, body: dict) -> None:
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", body["Location"])
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                emulator.requests.append(("GET", url.path))
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/organizations/v2.0/.well-known/openid-configuration":
                    self._send(200, emulator.discovery())
                elif url.path == "/organizations/discovery/v2.0/keys":
                    self._send(200, emulator.jwks())
                elif url.path == "/organizations/oauth2/v2.0/authorize":
                    self._send(*emulator.authorize(query))
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                emulator.requests.append(("POST", url.path))
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if url.path == "/organizations/oauth2/v2.0/token":
                    self._send(*emulator.token(form))
                else:
                    self._send(404, {"error": "not_found"})

        return Handler
