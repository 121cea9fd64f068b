"""The msal application, one per configuration.

msal keeps its token cache inside the ``ConfidentialClientApplication`` object; creating a new one per
request would fetch a new token (and re-run OIDC discovery) every time, so one is cached per
configuration key."""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

import msal
import requests

from .config import MICROSOFT_AUTHORITY_HOSTS, GraphConfig
from .errors import (
    GraphAuthError,
    GraphConfigError,
    GraphError,
    GraphUnavailableError,
)
from .session import GraphSession

_APP_CACHE: dict[tuple[Any, ...], msal.ConfidentialClientApplication] = {}
_APP_CACHE_LOCK = threading.Lock()
#: The requests session each cached msal application talks through (same keys as ``_APP_CACHE``).
_APP_SESSIONS: dict[tuple[Any, ...], GraphSession] = {}


def clear_app_cache() -> None:
    """Forget every cached msal application (and so every cached token). For tests and rotation."""
    with _APP_CACHE_LOCK:
        _APP_CACHE.clear()
        _APP_SESSIONS.clear()


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


def tls_error(url: str, exc: Exception) -> GraphConfigError:
    """TLS failures are configuration problems, never transient: do not retry them."""
    return GraphConfigError(
        f"TLS certificate verification failed for {url}; if this endpoint uses a private CA set "
        f"TEAMS_CA_BUNDLE to its PEM bundle ({exc})"
    )


def get_app(config: GraphConfig) -> msal.ConfidentialClientApplication:
    """Return the cached msal application for ``config``, creating it (and running discovery) once."""
    key = config.app_cache_key()
    with _APP_CACHE_LOCK:
        app = _APP_CACHE.get(key)
        if app is not None:
            return app
        authority = f"{config.authority_url.rstrip('/')}/{config.tenant_id}"
        host = (urlsplit(authority).hostname or "").lower()
        session = GraphSession(config.verify, config.timeout)
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
            raise tls_error(authority, exc) from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise GraphUnavailableError(f"Cannot reach the identity platform at {authority}: {exc}") from exc
        except (ValueError, requests.RequestException) as exc:
            # msal raises ValueError for an unknown tenant / failed OIDC discovery.
            raise GraphAuthError(
                f"Cannot initialise authentication for authority {authority}: {exc}"
            ) from exc
        _APP_CACHE[key] = app
        _APP_SESSIONS[key] = session
        return app


def last_identity_status(config: GraphConfig) -> tuple[int | None, str | None]:
    """(HTTP status, Retry-After) of this thread's latest identity-platform response for ``config``."""
    session = _APP_SESSIONS.get(config.app_cache_key())
    return session.last_status() if session is not None else (None, None)


