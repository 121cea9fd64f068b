"""Open Badges 3.0 export of a valid certificate (unsigned JSON-LD, or signed when a key is set)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from academy.core.urls import absolute_url

from .. import openbadges
from ..models import Certificate
from .content import content_for
from .rules import CertificateError, attendance_threshold


def open_badge(certificate: Certificate) -> dict[str, Any]:
    """OB 3.0 ``OpenBadgeCredential`` for a valid certificate; the recipient is a salted e-mail hash."""
    if not certificate.is_valid:
        raise CertificateError(_("A revoked certificate cannot be exported."))
    content = content_for(certificate)
    course = certificate.course.canonical
    salt = hmac.new(settings.SECRET_KEY.encode(), certificate.code.encode(), hashlib.sha256).hexdigest()[:16]
    return openbadges.build_credential(
        content, issuer_id=absolute_url("/"), issuer_name=settings.WAGTAIL_SITE_NAME, issuer_url=absolute_url("/"),
        achievement_id=absolute_url(f"/certificates/achievements/{course.pk}"),
        identifiers=[openbadges.hashed_email_identity(certificate.person.email, salt)],
        valid_from=certificate.issued_at, attendance_threshold=attendance_threshold(course),
    )


def signing_key() -> bytes | None:
    path = settings.CERTIFICATES.get("SIGNING_KEY_PATH") or ""
    return Path(path).read_bytes() if path else None


def signed_open_badge(certificate: Certificate) -> str | None:
    """The credential as a VC-JOSE compact JWS, or ``None`` when no signing key is configured."""
    key = signing_key()
    return openbadges.sign_credential(open_badge(certificate), key) if key else None
