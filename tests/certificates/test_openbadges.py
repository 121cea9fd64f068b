"""Open Badges 3.0 credentials: structure per the spec, VC-JOSE signing, tamper detection."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import serialization

from certificates.openbadges import (
    InvalidCredential,
    build_credential,
    generate_private_key_pem,
    hashed_email_identity,
    jwk_thumbprint,
    public_jwk,
    sign_credential,
    verify_signed_credential,
)
from certificates.rendering import CertificateContent

CODE = "7K3QD-M0X9A-RT5VB-2HZ4N"
VERIFY_URL = f"https://academy.example.org/verifica/{CODE}"
ISSUER_ID = "https://academy.example.org/openbadges/issuer"
ACHIEVEMENT_ID = "https://academy.example.org/openbadges/achievements/webinar-42"
SUBJECT_ID = "urn:uuid:6a2f0c4e-1d55-4b1c-9a59-9d1a3e1e8f10"


def make_content(**overrides: object) -> CertificateContent:
    values: dict[str, object] = {
        "code": CODE,
        "participant_name": "Maria Grazia Esposito",
        "course_title": "La gestione della privacy tra tutela della salute e rispetto degli adempimenti",
        "course_kind": "webinar",
        "dates": [date(2025, 3, 19), date(2025, 3, 12)],
        "hours": Decimal("4.00"),
        "trainers": ["Daniele Consoletti"],
        "areas": ["Privacy e protezione dei dati"],
        "competences": ["Applicare il GDPR ai dati sanitari"],
        "issued_on": date(2025, 3, 20),
        "verify_url": VERIFY_URL,
    }
    values.update(overrides)
    return CertificateContent(**values)  # type: ignore[arg-type]


def build(**kwargs: object) -> dict:
    content = kwargs.pop("content", None) or make_content()
    params: dict[str, object] = {
        "issuer_id": ISSUER_ID,
        "issuer_name": "Academy — Rete delle cooperative sociali",
        "achievement_id": ACHIEVEMENT_ID,
        "subject_id": SUBJECT_ID,
        "attendance_threshold": 80,
    }
    params.update(kwargs)
    return build_credential(content, **params)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def private_key_pem() -> bytes:
    return generate_private_key_pem()


def b64json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def test_credential_structure_follows_ob30() -> None:
    credential = build()
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == VERIFY_URL
    assert credential["issuer"] == {
        "id": ISSUER_ID,
        "type": ["Profile"],
        "name": "Academy — Rete delle cooperative sociali",
    }
    assert credential["validFrom"] == "2025-03-20T00:00:00+01:00"
    assert "La gestione della privacy" in credential["name"]

    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"] == SUBJECT_ID
    assert subject["activityStartDate"] == "2025-03-12T00:00:00+01:00"
    assert subject["activityEndDate"] == "2025-03-19T23:59:59+01:00"

    achievement = subject["achievement"]
    assert achievement["id"] == ACHIEVEMENT_ID
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Course"
    assert achievement["name"] == make_content().course_title
    assert achievement["criteria"]["narrative"].startswith("Partecipazione ad almeno l'80% dei minuti")
    assert "4 ore di formazione" in achievement["description"]
    assert "Daniele Consoletti" in achievement["description"]
    assert achievement["inLanguage"] == "it"
    assert achievement["tag"] == ["Privacy e protezione dei dati", "Applicare il GDPR ai dati sanitari"]

    # hours, machine-readable: a Result pointing at the achievement's ResultDescription
    (description,) = achievement["resultDescription"]
    assert description["type"] == ["ResultDescription"]
    assert description["resultType"].startswith("ext:")
    (result,) = subject["result"]
    assert result == {"type": ["Result"], "resultDescription": description["id"], "value": "4"}

    json.dumps(credential)  # plain JSON, no dates/decimals left


def test_credential_in_english_with_custom_valid_from() -> None:
    credential = build(content=make_content(language="en", hours=1.5), valid_from=datetime(2025, 4, 1, 9, 30))
    assert credential["validFrom"] == "2025-04-01T09:30:00+02:00"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["criteria"]["narrative"] == "Attended at least 80% of the planned minutes."
    assert "1.5 training hours" in achievement["description"]
    assert credential["credentialSubject"]["result"][0]["value"] == "1.5"


@pytest.mark.parametrize(("threshold", "language", "expected"), [
    (80, "it", "Partecipazione ad almeno l'80% dei minuti"),
    (75, "it", "Partecipazione ad almeno il 75% dei minuti"),
    (11, "it", "Partecipazione ad almeno l'11% dei minuti"),
    (100, "it", "Partecipazione ad almeno il 100% dei minuti"),
    (60, "en", "Attended at least 60% of the planned minutes."),
])
def test_criteria_state_the_course_threshold(threshold, language, expected) -> None:
    credential = build(content=make_content(language=language), attendance_threshold=threshold)
    assert credential["credentialSubject"]["achievement"]["criteria"]["narrative"].startswith(expected)


def test_subject_by_hashed_email_only() -> None:
    identity = hashed_email_identity("Maria.Esposito@Example.org ", salt="s4lt")
    assert identity["identityHash"].startswith("sha256$") and len(identity["identityHash"]) == 7 + 64
    assert identity == hashed_email_identity("maria.esposito@example.org", salt="s4lt")
    assert "maria" not in json.dumps(identity)
    credential = build(subject_id=None, identifiers=[identity])
    subject = credential["credentialSubject"]
    assert "id" not in subject
    assert subject["identifier"] == [identity]


def test_credential_needs_a_subject_and_a_valid_certificate() -> None:
    with pytest.raises(ValueError):
        build(subject_id=None)
    with pytest.raises(ValueError):
        build(content=make_content(revoked=True))


def test_sign_and_verify(private_key_pem: bytes) -> None:
    credential = build()
    token = sign_credential(credential, private_key_pem)
    header_b64, payload_b64, _ = token.split(".")
    jwk = public_jwk(private_key_pem)
    assert b64json(header_b64) == {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": jwk["kid"]}
    assert b64json(payload_b64) == credential  # VC-JOSE: the credential itself is the payload
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["kid"] == jwk_thumbprint(jwk)

    public_pem = (
        serialization.load_pem_private_key(private_key_pem, None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    for key in (jwk, public_pem, private_key_pem):
        assert verify_signed_credential(token, key) == credential


def test_tampering_is_detected(private_key_pem: bytes) -> None:
    credential = build()
    token = sign_credential(credential, private_key_pem)
    header_b64, payload_b64, signature_b64 = token.split(".")
    jwk = public_jwk(private_key_pem)

    forged = dict(credential, name="Master di secondo livello")
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidCredential):
        verify_signed_credential(f"{header_b64}.{forged_payload}.{signature_b64}", jwk)

    flipped = signature_b64[:10] + ("A" if signature_b64[10] != "A" else "B") + signature_b64[11:]
    with pytest.raises(InvalidCredential):
        verify_signed_credential(f"{header_b64}.{payload_b64}.{flipped}", jwk)

    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"vc+jwt"}').rstrip(b"=").decode()
    with pytest.raises(InvalidCredential):
        verify_signed_credential(f"{none_header}.{payload_b64}.{signature_b64}", jwk)

    with pytest.raises(InvalidCredential):
        verify_signed_credential(token, public_jwk(generate_private_key_pem()))
    for garbage in ("", "a.b", "a.b.c", token + ".x", "!!.??.**"):
        with pytest.raises(InvalidCredential):
            verify_signed_credential(garbage, jwk)


def test_non_ed25519_keys_are_refused() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(TypeError):
        sign_credential(build(), ec_pem)
    with pytest.raises(TypeError):
        verify_signed_credential("a.b.c", {"kty": "EC", "crv": "P-256", "x": "", "y": ""})
