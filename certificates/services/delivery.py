"""Certificate files and e-mails: PDFs stored privately, the e-mail queued once per version, the
download rule and the course ZIP.

PDFs are stored under ``settings.PRIVATE_ROOT`` and served only by permission-checking views.
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Callable, Sequence
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from academy.core.models import OutboxMessage
from academy.core.outbox import Attachment, queue_email
from academy.core.permissions import is_staff
from academy.core.urls import absolute_url
from academy.core.users import acting_user
from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.network.services import person_of

from ..models import Certificate, CertificateEvent, private_storage
from ..rendering import iter_certificates_pdf, render_certificate_pdf
from .content import CourseFacts, certificate_content, content_for, verify_url


def _pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.course_id}/{certificate.code}-v{certificate.version}.pdf"


def store_pdf(certificate: Certificate, pdf: bytes) -> str:
    name = _pdf_name(certificate)
    if private_storage.exists(name):  # a retried run: same version, same content
        private_storage.delete(name)
    return private_storage.save(name, ContentFile(pdf))


def email_certificate(certificate: Certificate, person: Person, title: str, pdf: bytes, by=None) -> bool:
    """Queue the certificate e-mail (once per version); True if newly queued."""
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
                attachments=[Attachment(filename, pdf, "application/pdf")])
    CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.EMAILED,
                                    version=certificate.version, by=acting_user(by), note=person.email[:300])
    return True



def safe_workers(workers: int | None) -> int | None:
    """Forking a multi-threaded process is unsafe: render in-process when threads are around (e.g. the
    immediate task backend inside a threaded web server)."""
    if threading.active_count() > 1:
        return 1
    return workers


def render_and_deliver(certificates: Sequence[Certificate], facts: CourseFacts, *, by=None,
                        workers: int | None = None, chunk_size: int = 50,
                        on_progress: Callable[[int], None] | None = None) -> int:
    """Render, store and e-mail ``certificates`` (their current version); returns e-mails queued.

    Chunks stream back from the worker processes (``iter_certificates_pdf``) and each is stored and
    committed as it arrives, while the workers render the next ones. A crash loses at most the chunks
    in flight, and a re-run picks up exactly the certificates still without a PDF.
    """
    certificates = list(certificates)
    if not certificates:
        return 0
    emailed = 0
    contents = [certificate_content(c, c.person, facts) for c in certificates]
    if len(contents) == 1:
        stream = iter([([0], [render_certificate_pdf(contents[0])])])
    else:
        stream = iter_certificates_pdf(contents, chunk_size=chunk_size, workers=safe_workers(workers))
    for positions, pdfs in stream:
        batch = [certificates[i] for i in positions]
        names = [store_pdf(c, pdf) for c, pdf in zip(batch, pdfs, strict=True)]
        with transaction.atomic():
            for certificate, pdf, name in zip(batch, pdfs, names, strict=True):
                certificate.pdf.name = name
                Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
                emailed += email_certificate(certificate, certificate.person, facts.text(certificate.language)["title"],
                                  pdf, by=by)
        if on_progress:
            on_progress(len(batch))
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
    pdf = render_certificate_pdf(content_for(certificate))
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
