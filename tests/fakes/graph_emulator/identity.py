"""The identity platform: OIDC discovery and the client-credentials token endpoint."""

from __future__ import annotations

import hmac
import json
import secrets
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from webinars.graph.client import GRAPH_SCOPE

from .common import (
    ASSERTION_TYPE,
    _b64url,
    _b64url_decode,
)


class IdentityRoutes:
    """Mixin of :class:`GraphEmulator`: discovery, tokens, client assertions."""

    def _aad_error(
        self, status: int, error: str, aadsts: int, description: str, headers: dict[str, str] | None = None
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
            headers,
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
            if fault.mode == "not-json":
                # What a gateway in front of the identity platform answers when it throttles.
                headers = {"Content-Type": "text/html"}
                if fault.retry_after is not None:
                    headers["Retry-After"] = str(int(fault.retry_after))
                return fault.status, headers, b"<html><body>Too many requests</body></html>"
            # The identity platform's own JSON error (RFC 6749 section 5.2 shape), Retry-After included.
            retry = {} if fault.retry_after is None else {"Retry-After": str(int(fault.retry_after))}
            if fault.status == 429:
                return self._aad_error(429, "temporarily_unavailable", 50196,
                                       "The server is throttling this client; retry later.", retry)
            return self._aad_error(fault.status, "temporarily_unavailable", 90033,
                                   "A transient error has occurred. Please try again.", retry)
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

