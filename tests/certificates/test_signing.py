"""PAdES signatures of certificate PDFs (academy.core.signing over pyHanko): a throw-away CA built here,
the Academy's PKCS#12 signed by it, validation with pyHanko's own validator against that CA, one altered
byte failing it, PDF/A-3a and tags kept, the embedded test certificate, the verification page."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from academy.core import signing
from certificates import services
from certificates.models import Certificate

from .pdf_checks import assert_tagged_pdfa3a


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _cert(subject, issuer, public_key, signing_key, *, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                          encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage, critical=True).sign(signing_key, hashes.SHA256()))


@pytest.fixture
def test_ca(settings, tmp_path):
    """A CA made for this test, and the Academy's PKCS#12 (key + certificate it issued) configured."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _cert(_name("Throw-away Test CA"), _name("Throw-away Test CA"), ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert(_name("Paola Rappresentante"), ca_cert.subject, key.public_key(), ca_key, ca=False)
    path = tmp_path / "academy.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"academy", key, cert, [ca_cert], serialization.BestAvailableEncryption(b"s3cret")))
    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    settings.PDF_SIGNING = {"PKCS12_PATH": str(path), "PKCS12_PASSPHRASE": "s3cret", "TRUST_ROOTS": ""}
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER))


@pytest.fixture
def issued(past_course, make_person, register, attend):
    course = past_course(title="Primo soccorso: aggiornamento")
    person = make_person(first_name="Anna", last_name="Verdi")
    register(course, person)
    attend(course, person, 90)
    return services.issue_certificate(course, person)


def stored(certificate: Certificate) -> bytes:
    return (Path(settings.PRIVATE_ROOT) / certificate.pdf.name).read_bytes()


def pyhanko_status(pdf: bytes, root):
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return validate_pdf_signature(reader.embedded_signatures[-1],
                                  ValidationContext(trust_roots=[root], allow_fetching=False))


def test_signed_by_the_configured_certificate_and_valid_against_the_test_ca(test_ca, issued):
    pdf = stored(issued)
    status = pyhanko_status(pdf, test_ca)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Paola Rappresentante"
    # The signature is an incremental update: still a tagged PDF/A-3a certificate.
    assert_tagged_pdfa3a(pdf, "it")


def test_one_altered_byte_fails_validation(test_ca, issued):
    pdf = bytearray(stored(issued))
    pdf[len(pdf) // 3] ^= 0x01  # a byte of the rendered page, inside the signed range
    status = pyhanko_status(bytes(pdf), test_ca)
    assert not (status.intact and status.bottom_line)
    assert signing.check_pdf(bytes(pdf)).valid is False
    assert signing.check_pdf(stored(issued)).valid is True


def test_another_ca_is_not_trusted(test_ca, issued):
    other = ec.generate_private_key(ec.SECP256R1())
    other_cert = _cert(_name("Other CA"), _name("Other CA"), other.public_key(), other, ca=True)
    from asn1crypto import x509 as asn1_x509

    root = asn1_x509.Certificate.load(other_cert.public_bytes(serialization.Encoding.DER))
    assert not pyhanko_status(stored(issued), root).trusted


def test_without_configuration_a_test_certificate_is_made_once_and_reported(settings, issued, client):
    assert settings.PDF_SIGNING["PKCS12_PATH"] == ""
    check = signing.check_pdf(stored(issued))
    assert check.valid and check.test_certificate and check.signer == signing.TEST_SIGNER_SUBJECT
    made = Path(settings.PRIVATE_ROOT) / signing.TEST_SIGNER_NAME
    assert made.is_file()
    before = made.read_bytes()
    signing._load.cache_clear()  # another process: it reads the stored one, it does not make a new one
    assert signing.check_pdf(stored(issued)).valid and made.read_bytes() == before
    response = client.get(reverse("certificates:verify_code", args=[issued.code]))
    text = response.content.decode()
    assert "Firmato da Academy - certificato di prova (test certificate): valida" in text
    assert "certificato di prova generato da questa installazione" in text


def test_verify_page_names_the_signer_and_refuses_an_altered_file(test_ca, issued, client):
    url = reverse("certificates:verify_code", args=[issued.code])
    text = client.get(url).content.decode()
    assert "Firmato da Paola Rappresentante: valida" in text and "certificato di prova" not in text
    path = Path(settings.PRIVATE_ROOT) / issued.pdf.name
    pdf = bytearray(path.read_bytes())
    pdf[len(pdf) // 3] ^= 0x01
    path.write_bytes(bytes(pdf))
    text = client.get(url).content.decode()
    assert "Non valida" in text and "Firmato da" not in text
