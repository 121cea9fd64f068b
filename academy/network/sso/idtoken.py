"""Checks of a Microsoft id_token, always, whatever channel brought it.

OpenID Connect Core §3.1.3.7 lets a client skip the signature of a token it fetched itself over TLS;
the Academy does not: the signature (against the tenant's published keys, fetched again when a key id
is unknown, which is how Microsoft rotates them), the issuer (the multi-tenant metadata names
``{tenantid}``, so the issuer must be that of the token's own ``tid``), the audience, the lifetime,
the nonce of this sign-in and a token never seen before (``uti``/``jti``, kept until it expires).
"""

from __future__ import annotations

import time
import uuid

import requests
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 120
_JWKS_CACHE_SECONDS = 24 * 3600


class TokenRejected(Exception):
    """The id_token may not sign anybody in; the message is for logs, not for the person."""


def _fetch_keys(jwks_uri: str, *, fresh: bool) -> dict:
    key = f"academy:sso:jwks:{jwks_uri}"
    keys = None if fresh else cache.get(key)
    if keys is None:
        try:
            response = requests.get(jwks_uri, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
            response.raise_for_status()
            keys = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise TokenRejected(f"signing keys unavailable: {exc}") from exc
        cache.set(key, keys, _JWKS_CACHE_SECONDS)
    return keys


def _key_set(jwks_uri: str, kid: str | None) -> KeySet:
    for fresh in (False, True):  # an unknown key id: the keys may have rotated since they were cached
        data = _fetch_keys(jwks_uri, fresh=fresh)
        if any(k.get("kid") == kid for k in data.get("keys", [])):
            try:
                return KeySet.import_key_set(data)
            except (JoseError, ValueError) as exc:
                raise TokenRejected(f"unusable signing keys: {exc}") from exc
    raise TokenRejected(f"unknown signing key {kid!r}")


def issuer_for(template: str, tid: str) -> str:
    return template.replace("{tenantid}", tid)


def verify(id_token: str, *, jwks_uri: str, issuer_template: str, client_id: str, nonce: str | None) -> dict:
    """The token's claims, once every check passed; else ``TokenRejected``."""
    try:
        header = extract_compact(id_token.encode()).headers()
    except (JoseError, ValueError) as exc:
        raise TokenRejected(f"not a signed token: {exc}") from exc
    if header.get("alg") not in ALGORITHMS:
        raise TokenRejected(f"algorithm {header.get('alg')!r} refused")
    try:
        claims = jwt.decode(id_token, _key_set(jwks_uri, header.get("kid")), algorithms=ALGORITHMS).claims
    except JoseError as exc:
        raise TokenRejected(f"bad signature: {exc}") from exc
    tid, oid = str(claims.get("tid", "")), str(claims.get("oid", ""))
    try:
        uuid.UUID(tid), uuid.UUID(oid)
    except ValueError as exc:
        raise TokenRejected("tid and oid must be GUIDs") from exc
    expected = {"iss": {"essential": True, "value": issuer_for(issuer_template, tid)},
                "aud": {"essential": True, "value": client_id},
                "exp": {"essential": True}, "iat": {"essential": True}}
    if nonce is not None:
        expected["nonce"] = {"essential": True, "value": nonce}
    try:
        jwt.JWTClaimsRegistry(leeway=LEEWAY_SECONDS, **expected).validate(claims)
    except JoseError as exc:
        raise TokenRejected(f"claims refused: {exc}") from exc
    if isinstance(claims.get("aud"), list) and claims["aud"] != [client_id]:
        raise TokenRejected("token issued for more than this application")
    _refuse_replay(claims)
    return claims


def _refuse_replay(claims: dict) -> None:
    token_id = claims.get("uti") or claims.get("jti")
    if not token_id:
        raise TokenRejected("token without an identifier (uti/jti)")
    timeout = max(int(claims["exp"]) - int(time.time()) + LEEWAY_SECONDS, 1)
    if not cache.add(f"academy:sso:seen:{claims['iss']}:{token_id}", 1, timeout):
        raise TokenRejected("token already used")
