"""The Microsoft identity platform as an allauth OpenID Connect provider (allauth's documented way to
customise a provider: ``SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"]``).

What it changes from allauth's generic client, and why:

* the identity is the tenant id + object id (``tid:oid``), never the e-mail or ``sub`` alone: the
  ``email`` claim is set by the tenant's administrator and proves nothing ("nOAuth");
* every id_token is checked in full (``idtoken.verify``), with the multi-tenant issuer of its own tenant;
* a nonce is sent with every sign-in and kept in allauth's state; ``linking.check_nonce`` compares it;
* no e-mail address from the token is handed to allauth as verified;
* PKCE (S256) is on through the provider's ``OAUTH_PKCE_ENABLED`` setting.
"""

from __future__ import annotations

import secrets

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest

from academy.core.language import language_of_path, remember_language

from . import idtoken

PROVIDER_ID = "microsoft"
# What the account keeps of the token: enough to name the person and decide membership and MFA.
KEPT_CLAIMS = ("tid", "oid", "iss", "idp", "name", "given_name", "family_name", "email", "preferred_username",
               "amr", "nonce")


class EntraOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        raw = kwargs["response"].get("id_token")
        if not raw:
            raise OAuth2Error("the token response carries no id_token")
        config = self.openid_config
        try:
            claims = idtoken.verify(raw, jwks_uri=config["jwks_uri"], issuer_template=config["issuer"],
                                    client_id=app.client_id, nonce=None)  # the nonce: linking.check_nonce
        except idtoken.TokenRejected as exc:
            raise OAuth2Error(f"id_token refused: {exc}") from exc
        return self.get_provider().sociallogin_from_response(request, {"id_token": claims})


class EntraAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        data = self.account.extra_data.get("id_token", {})
        return data.get("preferred_username") or data.get("name") or super().to_str()


class EntraProvider(OpenIDConnectProvider):
    account_class = EntraAccount
    oauth2_adapter_class = EntraOAuth2Adapter

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)

    def extract_uid(self, data) -> str:
        claims = data["id_token"]
        return f"{claims['tid']}:{claims['oid']}".lower()

    def extract_extra_data(self, data) -> dict:
        return {"id_token": {k: data["id_token"][k] for k in KEPT_CLAIMS if k in data["id_token"]}}

    def extract_common_fields(self, data) -> dict:
        claims = data["id_token"]
        return {"email": (claims.get("email") or "").strip().lower() or None,
                "first_name": claims.get("given_name") or "", "last_name": claims.get("family_name") or "",
                "name": claims.get("name") or ""}

    def extract_email_addresses(self, data) -> list:
        return []  # never a verified address for allauth: see academy.network.sso.linking


def _adapter_view(view_class, request: HttpRequest, provider_id: str):
    if provider_id != PROVIDER_ID:
        raise Http404
    try:
        return view_class.adapter_view(EntraOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:  # not configured: no sign-in with Microsoft here
        raise Http404 from exc


def login(request: HttpRequest, provider_id: str):
    # The pages after the round trip that have no language prefix (the callback's redirect to the
    # landing page, a refusal, the second factor) speak the language of the page the button was on.
    response = _adapter_view(OAuth2LoginView, request, provider_id)
    language = language_of_path(request.POST.get("next", "")) or request.POST.get("language")
    return remember_language(response, language)


def callback(request: HttpRequest, provider_id: str):
    return _adapter_view(OAuth2CallbackView, request, provider_id)


