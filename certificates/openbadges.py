"""Open Badges 3.0 export of attendance certificates, signed as VC-JOSE compact JWS.

Why: participants want to put their certificates in a wallet or on a CV platform (Europass, LinkedIn
via badge platforms). Open Badges 3.0 (1EdTech) is a W3C Verifiable Credential (Data Model 2.0)
whose ``credentialSubject`` is an ``AchievementSubject`` pointing at an ``Achievement`` (our course).

Field names follow the OB 3.0 data model (``OpenBadgeCredential``, ``Profile``, ``Achievement``,
``Criteria``, ``ResultDescription``/``Result``, ``IdentityObject``) and the sample credentials of the
spec, with the ``https://www.w3.org/ns/credentials/v2`` + ``context-3.0.3.json`` contexts.

Signing follows W3C "Securing Verifiable Credentials using JOSE and COSE": the credential itself is
the JWS payload (no ``vc`` claim), header ``typ`` = ``vc+jwt`` and ``cty`` = ``vc``, Ed25519 keys
(``alg`` = ``EdDSA``, RFC 8037), with :mod:`joserfc`.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import OKPKey

from certificates.rendering import LABELS, CertificateContent, format_dates, format_hours, join_list

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWS_TYPE = "vc+jwt"
"""``typ`` header for a JOSE-secured VC (VC-JOSE-COSE); older drafts used ``vc+ld+json+jwt``."""
JWS_CONTENT_TYPE = "vc"
JWS_ALGORITHM = "EdDSA"
# RFC 9864 deprecates "EdDSA" for the fully specified "Ed25519", but VC-JOSE-COSE and Open Badges 3.0
# verifiers still expect "EdDSA": keep it (and joserfc quiet about it) until wallets move.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)
HOURS_RESULT_TYPE = "ext:TrainingHours"
"""OB 3.0 ``ResultType`` is an extensible enumeration; extensions must use the ``ext:`` prefix."""

_ATTENDANCE = {
    "it": {"webinar": "Partecipazione al webinar", "masterclass": "Partecipazione alla masterclass"},
    "en": {"webinar": "Attendance of the webinar", "masterclass": "Attendance of the masterclass"},
}
_DESCRIPTION = {
    "it": "{attendance} «{title}» ({dates}), {hours} ore di formazione",
    "en": "{attendance} “{title}” ({dates}), {hours} training hours",
}
_TRAINERS = {"it": ("docente", "docenti"), "en": ("trainer", "trainers")}
_HOURS_NAME = {"it": "Ore di formazione", "en": "Training hours"}

try:
    _LOCAL_TZ: Any = ZoneInfo("Europe/Rome")
except ZoneInfoNotFoundError:  # no tzdata: UTC is still a valid (if less precise) DateTime
    _LOCAL_TZ = UTC


class InvalidCredential(ValueError):
    """The token is malformed, signed with another key, tampered with, or not a VC-JOSE credential."""


# --------------------------------------------------------------------------------------------------
# Credential
# --------------------------------------------------------------------------------------------------


def _datetime(value: datetime | date, *, end_of_day: bool = False) -> str:
    """ISO 8601 DateTime with an explicit offset, as OB 3.0 requires; a date means a day in Italy."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59, 59) if end_of_day else time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=_LOCAL_TZ)
    return value.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def hashed_email_identity(email: str, salt: str) -> dict[str, Any]:
    """OB 3.0 ``IdentityObject`` for an e-mail address, salted and hashed (``sha256$<hex>``).

    Lets a verifier who knows the e-mail confirm the recipient without publishing the address.
    """
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def criteria_narrative(threshold: int, language: str) -> str:
    """The achievement's criteria: the share of the planned minutes the course requires."""
    if language == "en":
        return f"Attended at least {threshold}% of the planned minutes."
    # Italian elides the article before a number read with a vowel sound: l'80%, l'11%, but il 75%.
    article = "l'" if threshold in (1, 8, 11) or 80 <= threshold <= 89 else "il "
    return f"Partecipazione ad almeno {article}{threshold}% dei minuti previsti dal percorso formativo."


def _achievement_description(content: CertificateContent) -> str:
    lang = content.language
    text = _DESCRIPTION[lang].format(
        attendance=_ATTENDANCE[lang][content.course_kind],
        title=content.course_title,
        dates=format_dates(content.dates, lang),
        hours=format_hours(content.hours, lang),
    )
    if content.trainers:
        label = _TRAINERS[lang][len(content.trainers) > 1]
        text += f", {label}: {join_list(content.trainers, lang)}"
    return text + "."


def build_credential(
    content: CertificateContent,
    *,
    issuer_id: str,
    issuer_name: str,
    achievement_id: str,
    subject_id: str | None = None,
    valid_from: datetime | date | None = None,
    identifiers: list[dict[str, Any]] | None = None,
    issuer_url: str | None = None,
    attendance_threshold: int,
) -> dict[str, Any]:
    """OB 3.0 ``OpenBadgeCredential`` (JSON-LD, unsigned) for one attendance certificate.

    * ``id`` is the public verify URL, so the credential and the printed QR code point to one place.
    * ``subject_id`` identifies the recipient (e.g. ``urn:uuid:...`` or a DID); OB 3.0 requires
      ``id`` or at least one ``identifier`` (see :func:`hashed_email_identity`) - never a plain e-mail.
    * The hours are both in the achievement description (for humans) and as a ``Result`` of a
      ``ResultDescription`` (for machines), areas/competences become ``tag`` values.
    * ``valid_from`` defaults to the certificate's issue date.
    * ``attendance_threshold`` is the course's rule (``services.attendance_threshold``), stated as the
      criteria.
    """
    if content.revoked:
        raise ValueError("a revoked certificate cannot be exported as an Open Badge")
    if not subject_id and not identifiers:
        raise ValueError("OB 3.0 needs credentialSubject.id or at least one identifier")
    lang = content.language
    issuer: dict[str, Any] = {"id": issuer_id, "type": ["Profile"], "name": issuer_name}
    if issuer_url:
        issuer["url"] = issuer_url
    hours_result_id = f"{achievement_id}#hours"
    tags = list(dict.fromkeys([*content.areas, *content.competences]))

    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": content.course_title,
        "description": _achievement_description(content),
        "criteria": {"narrative": criteria_narrative(attendance_threshold, lang)},
        "creator": issuer,
        "inLanguage": lang,
        "resultDescription": [
            {
                "id": hours_result_id,
                "type": ["ResultDescription"],
                "name": _HOURS_NAME[lang],
                "resultType": HOURS_RESULT_TYPE,
            }
        ],
    }
    if content.areas:
        achievement["fieldOfStudy"] = ", ".join(content.areas)
    if tags:
        achievement["tag"] = tags

    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if subject_id:
        subject["id"] = subject_id
    if identifiers:
        subject["identifier"] = identifiers
    subject["achievement"] = achievement
    subject["activityStartDate"] = _datetime(min(content.dates))
    subject["activityEndDate"] = _datetime(max(content.dates), end_of_day=True)
    subject["result"] = [
        {"type": ["Result"], "resultDescription": hours_result_id, "value": format_hours(content.hours, "en")}
    ]

    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": content.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": _datetime(valid_from or content.issued_on),
        "name": f"{LABELS[lang]['heading']}: {content.course_title}",
        "description": f"{LABELS[lang]['heading']} — {content.participant_name}",
        "credentialSubject": subject,
    }


# --------------------------------------------------------------------------------------------------
# Keys and JWS
# --------------------------------------------------------------------------------------------------


def _ed25519_key(value: Any) -> OKPKey:
    """An Ed25519 key from PEM bytes, a JWK dict or a ``cryptography`` key; ``TypeError`` otherwise."""
    try:
        key = OKPKey.import_key(value)
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise TypeError("an Ed25519 key is required (PEM, OKP JWK or cryptography key)") from exc
    if key.curve_name != "Ed25519":
        raise TypeError("an Ed25519 key is required")
    return key


def generate_private_key_pem() -> bytes:
    """A new Ed25519 private key as unencrypted PKCS#8 PEM (store it as a secret, not in the repo)."""
    return OKPKey.generate_key("Ed25519").as_pem(private=True)


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint of an OKP key: a stable ``kid`` derived from the key itself."""
    return _ed25519_key(jwk).thumbprint()


def public_jwk(private_key_pem: bytes) -> dict[str, str]:
    """Public JWK (RFC 8037 OKP/Ed25519) for publishing on the issuer profile or a JWKS endpoint."""
    key = _ed25519_key(private_key_pem)
    return {**key.as_dict(private=False), "kid": key.thumbprint(), "alg": JWS_ALGORITHM, "use": "sig"}


def sign_credential(credential: dict[str, Any], private_key_pem: bytes, *, kid: str | None = None) -> str:
    """Compact JWS (VC-JOSE-COSE, ``typ: vc+jwt``) whose payload is the credential itself.

    ``kid`` defaults to the key's RFC 7638 thumbprint so verifiers can pick the key from a JWKS.
    """
    key = _ed25519_key(private_key_pem)
    if not key.is_private:
        raise TypeError("signing needs the private key")
    header = {"alg": JWS_ALGORITHM, "typ": JWS_TYPE, "cty": JWS_CONTENT_TYPE, "kid": kid or key.thumbprint()}
    payload = json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return jws.serialize_compact(header, payload, key, algorithms=[JWS_ALGORITHM])


def verify_signed_credential(token: str, public_key: Any) -> dict[str, Any]:
    """Check a token from :func:`sign_credential` and return the credential.

    ``public_key`` may be an Ed25519 ``cryptography`` key, PEM bytes or a public JWK. Raises
    :class:`InvalidCredential` for anything but an intact ``EdDSA``-signed ``vc+jwt`` credential.
    """
    key = _ed25519_key(public_key)
    if not isinstance(token, str):
        raise InvalidCredential("not a compact JWS")
    try:
        signed = jws.deserialize_compact(token, key, algorithms=[JWS_ALGORITHM])
        credential = json.loads(signed.payload)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise InvalidCredential("not an intact EdDSA-signed JWS") from exc
    if signed.headers().get("typ") != JWS_TYPE:
        raise InvalidCredential("unexpected JOSE header")
    if not isinstance(credential, dict) or "VerifiableCredential" not in credential.get("type", []):
        raise InvalidCredential("payload is not a verifiable credential")
    return credential
