"""Template context: the "Sign in with Microsoft" button's address, only when an app is configured."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .provider import PROVIDER_ID


def microsoft_configured() -> bool:
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return any(app.get("provider_id") == PROVIDER_ID and app.get("client_id") for app in apps)


def sso(request) -> dict:
    if not microsoft_configured():
        return {"microsoft_login_url": ""}
    return {"microsoft_login_url": reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})}
