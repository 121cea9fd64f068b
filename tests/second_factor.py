"""Helpers for tests with the second-factor gate on: enrol a TOTP authenticator and prove it, through
allauth's own pages (reauthenticate with the password, activate TOTP with a code), as a person would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

from django.urls import reverse

PASSWORD = "pw-12345!"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits): what an authenticator app shows."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def enrol_totp(client, password: str = PASSWORD) -> str:
    """Enrol TOTP for the client's signed-in user (which also proves it for this session); the secret."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content[:500]
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302, response.content[:2000]
    # Enrolling proves the factor once the activation commits (academy.core.second_factor._enrolled); a
    # test's transaction never commits, so the session proves it the other supported way: allauth's
    # reauthentication with a code.
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp(secret)})
    assert response.status_code == 302, response.content[:2000]
    return secret
