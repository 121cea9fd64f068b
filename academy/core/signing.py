"""PAdES signatures of the PDFs the Academy issues, through pyHanko: the one module that talks to it.

Where the key comes from (read from the settings at each call, loaded once per configuration):

* ``PDF_SIGNING["PKCS12_PATH"]`` and ``PDF_SIGNING["PKCS12_PASSPHRASE"]`` (environment
  ``PDF_SIGNING_PKCS12``, ``PDF_SIGNING_PASSPHRASE``): the Academy's own certificate, e.g. one issued
  by a qualified trust service provider to the legal representative or their delegate (Agreement
  59/CSR of 17/04/2025, Part I, point 6 e): "firma del legale rappresentante ... preferibilmente in
  formato digitale");
* unset (the embedded default): a self-made test certificate, generated on first use and kept in the
  private storage (``signing/test-signer.p12``, never in git). It proves that a file was not altered,
  not who issued it: ``check_pdf`` reports it and the verification page says so.

``PDF_SIGNING["TRUST_ROOTS"]`` (``PDF_SIGNING_TRUST_ROOTS``) may name a PEM bundle of further
certificates to trust, e.g. the one used before a rotation, so older files keep validating.

Signing appends an incremental update: the rendered bytes stay untouched, so the PDF/A-3
identification and the structure tree are kept; pyHanko updates the XMP modification date together
with the Info dictionary, as PDF/A asks. Validation is offline (no fetching) against the configured
chain: it answers "signed with our key, and not one byte changed since".
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from .storage import PrivateStorage

TEST_SIGNER_NAME = "signing/test-signer.p12"
TEST_SIGNER_SUBJECT = "Academy - certificato di prova (test certificate)"
FIELD_NAME = "AcademySignature"


@dataclass(frozen=True)
class SignatureCheck:
    """What a verifier learns from a file's (last) signature."""

    signed: bool  # the file carries a signature at all
    valid: bool  # intact, covering the whole file, by a trusted certificate
    signer: str = ""  # the signing certificate's subject, human-readable
    test_certificate: bool = False  # signed with the self-made test certificate
    signed_at: datetime.datetime | None = None


@dataclass(frozen=True)
class _Identity:
    signer: object  # pyhanko.sign.signers.SimpleSigner
    trust_roots: tuple  # asn1crypto certificates
    test_fingerprint: str  # sha256 of the test certificate, "" with a configured one


def _config() -> dict:
    return getattr(settings, "PDF_SIGNING", {}) or {}


def using_test_certificate() -> bool:
    return not _config().get("PKCS12_PATH")


def _outside_event_loop(call):
    """pyHanko's synchronous functions start an asyncio loop of their own, which Python refuses inside a
    running one (an async caller, or a test driving a browser): then run them in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def sign_pdf(pdf: bytes, *, reason: str = "", location: str = "") -> bytes:
    """``pdf`` with a PAdES signature appended as an incremental update."""
    return _outside_event_loop(lambda: _sign_pdf(pdf, reason=reason, location=location))


def _sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    identity = _identity()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason or None, location=location or None)
    out = signers.sign_pdf(writer, meta, signer=identity.signer)
    return out.getvalue()


def check_pdf(pdf: bytes) -> SignatureCheck:
    """Validate the last signature of ``pdf`` (offline). Never raises on a damaged or unsigned file."""
    return _outside_event_loop(lambda: _check_pdf(pdf))


def _check_pdf(pdf: bytes) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # not a PDF any more: the altered file is simply not valid
        return SignatureCheck(signed=False, valid=False)
    if not signatures:
        return SignatureCheck(signed=False, valid=False)
    identity = _identity()
    context = ValidationContext(trust_roots=list(identity.trust_roots), allow_fetching=False,
                                revocation_mode="soft-fail")
    embedded = signatures[-1]
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception:  # a mangled signature dictionary or CMS blob
        return SignatureCheck(signed=True, valid=False)
    cert = status.signing_cert
    return SignatureCheck(
        signed=True,
        valid=bool(status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE),
        signer=(cert.subject.native.get("common_name") or cert.subject.human_friendly) if cert is not None else "",
        test_certificate=bool(identity.test_fingerprint and cert is not None
                              and hashlib.sha256(cert.dump()).hexdigest() == identity.test_fingerprint),
        signed_at=status.signer_reported_dt,
    )


# --- the identity -------------------------------------------------------------------------------------


def _identity() -> _Identity:
    config = _config()
    return _load(config.get("PKCS12_PATH", ""), config.get("PKCS12_PASSPHRASE", ""),
                 config.get("TRUST_ROOTS", ""), str(settings.PRIVATE_ROOT))


@functools.lru_cache(maxsize=4)
def _load(path: str, passphrase: str, trust_roots: str, private_root: str) -> _Identity:
    from pyhanko.sign import signers

    extra = _pem_certificates(Path(trust_roots).read_bytes()) if trust_roots else []
    if path:
        data, password, fingerprint = Path(path).read_bytes(), passphrase.encode() or None, ""
    else:
        data, password = _test_pkcs12(), None
        fingerprint = ""
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
    chain = [signer.signing_cert, *signer.cert_registry]
    roots = [c for c in chain if c.self_signed] or [signer.signing_cert]
    if not path:
        fingerprint = hashlib.sha256(signer.signing_cert.dump()).hexdigest()
    return _Identity(signer=signer, trust_roots=tuple(roots + extra), test_fingerprint=fingerprint)


def _pem_certificates(data: bytes) -> list:
    from asn1crypto import pem, x509

    return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]


def _test_pkcs12() -> bytes:
    """The self-made test certificate, created once and kept in the private storage.

    Two processes creating it at once both save; the storage gives the second file another name, which
    is deleted, and both use the first one.
    """
    storage = PrivateStorage()
    if not storage.exists(TEST_SIGNER_NAME):
        saved = storage.save(TEST_SIGNER_NAME, ContentFile(_new_test_pkcs12()))
        if saved != TEST_SIGNER_NAME:
            storage.delete(saved)
    with storage.open(TEST_SIGNER_NAME, "rb") as fh:
        return fh.read()


def _new_test_pkcs12() -> bytes:
    """A self-signed EC P-256 certificate for document signing, valid ten years (the retention period)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, TEST_SIGNER_SUBJECT),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Academy")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3660))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(b"academy-test-signer", key, cert, None,
                                                 serialization.NoEncryption())
