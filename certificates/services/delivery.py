"""Certificate files and e-mails: PDFs rendered, signed and stored privately (once: the e-mail
attaches the stored file by reference), the e-mail queued once per version, the download rule and the
course ZIP.

PDFs are stored under ``settings.PRIVATE_ROOT`` and served only by permission-checking views.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from academy.core import signing
from academy.core.models import OutboxMessage
from academy.core.outbox import Attachment, queue_email
from academy.core.permissions import is_staff
from academy.core.urls import absolute_url
from academy.core.users import acting_user
from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.network.services import person_of

from ..models import Certificate, CertificateEvent, private_storage
from ..rendering import CertificateContent, render_certificate_pdf
from .content import CourseFacts, certificate_content, content_for, verify_url


def _pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.course_id}/{certificate.code}-v{certificate.version}.pdf"


def store_pdf(certificate: Certificate, pdf: bytes) -> str:
    name = _pdf_name(certificate)
    if private_storage.exists(name):  # a retried run: same version, same content
        private_storage.delete(name)
    return private_storage.save(name, ContentFile(pdf))


def signed_pdf(content: CertificateContent) -> bytes:
    """The one render path: one WeasyPrint render, then the PAdES signature (Agreement 59/CSR of
    17/04/2025, Part I, point 6 e): the legal representative's signature, preferably digital)."""
    place = content.legal.place if content.legal else ""
    return signing.sign_pdf(render_certificate_pdf(content), reason=content.code, location=place)


def email_certificate(certificate: Certificate, person: Person, title: str, pdf_name: str, by=None) -> bool:
    """Queue the certificate e-mail (once per version); True if newly queued. The PDF is attached by
    reference to the stored file (``pdf_name``), not copied into the outbox row."""
    if not person.email:
        return False
    key = f"certificate:{certificate.pk}:v{certificate.version}"
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    with translation.override(certificate.language):
        context = {"person": person, "course_title": title, "certificate": certificate,
                   "verify_url": verify_url(certificate.code), "site_url": absolute_url("").rstrip("/"),
                   "reissued": certificate.version > 1}
        body = render_to_string("emails/certificates/issued.txt", context)
        subject = (_("Updated certificate of attendance: %(course)s") if certificate.version > 1
                   else _("Your certificate of attendance: %(course)s")) % {"course": title}
        filename = f"{_('certificate')}-{certificate.code}.pdf"
    queue_email(key, person.email, subject, body,
                attachments=[Attachment(filename, b"", "application/pdf", private_name=pdf_name)])
    CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.EMAILED,
                                    version=certificate.version, by=acting_user(by), note=person.email[:300])
    return True


def render_and_deliver(certificates: Sequence[Certificate], facts: CourseFacts, *, by=None,
                        on_progress: Callable[[int], None] | None = None) -> int:
    """Render, sign, store and e-mail ``certificates`` (their current version), one by one; returns the
    e-mails queued. Each is committed as it is done, so a crash loses at most the one in hand and a
    re-run picks up exactly the certificates still without a PDF. Many certificates are split over
    the task queue's workers by ``bulk.issue_for_course``, each running this on its share."""
    emailed = 0
    for certificate in certificates:
        pdf = signed_pdf(certificate_content(certificate, certificate.person, facts))
        name = store_pdf(certificate, pdf)
        with transaction.atomic():
            certificate.pdf.name = name
            Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
            emailed += email_certificate(certificate, certificate.person,
                                         facts.text(certificate.language)["title"], name, by=by)
        if on_progress:
            on_progress(1)
    return emailed


def may_download(user, certificate: Certificate) -> bool:
    """The certificate's person (while valid) and staff."""
    if is_staff(user):
        return True
    if not (user and user.is_authenticated):
        return False
    person = person_of(user)
    return person is not None and person.pk == certificate.person_id and certificate.is_valid


def pdf_bytes(certificate: Certificate) -> bytes:
    """The stored PDF (rendered now only if the file went missing; the row already exists)."""
    if certificate.pdf and private_storage.exists(certificate.pdf.name):
        with private_storage.open(certificate.pdf.name, "rb") as fh:
            return fh.read()
    pdf = signed_pdf(content_for(certificate))
    name = store_pdf(certificate, pdf)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
    return pdf


def write_course_zip(course: CoursePage, fileobj: IO[bytes]) -> int:
    """All valid certificates of a course as one ZIP (``Surname_Name_CODE.pdf``); returns the count."""
    certificates = (Certificate.objects.filter(course=course.canonical, status=Certificate.Status.VALID)
                    .select_related("person", "course").order_by("person__last_name", "person__first_name"))
    count = 0
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            person = certificate.person
            stem = "_".join(part for part in (person.last_name, person.first_name) if part) or "certificate"
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)
            archive.writestr(f"{safe}_{certificate.code}.pdf", pdf_bytes(certificate))
            count += 1
    return count


def stored_signature(certificate: Certificate) -> signing.SignatureCheck | None:
    """The signature of the stored PDF, checked as a verifier would check a downloaded copy (None when
    no file is stored: nothing is rendered for a public page)."""
    if not certificate.pdf or not private_storage.exists(certificate.pdf.name):
        return None
    with private_storage.open(certificate.pdf.name, "rb") as fh:
        return signing.check_pdf(fh.read())
