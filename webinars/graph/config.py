"""Connection settings for Microsoft Graph: one frozen, hashable :class:`GraphConfig` built from
``settings.TEAMS`` (no Django needed, so tests and scripts can build one)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import (
    GraphConfigError,
)

DEFAULT_AUTHORITY_URL = "https://login.microsoftonline.com"
DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
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


