"""Certificates' personal data.

Exported. At erasure the row stays (the course's counts, the code's history) with the person
anonymised, and its events' notes lose the person's name and address. What happens to the certificate
itself depends on the course file (``academy.core.privacy.held_until``):

- under a legal hold (funded or mandatory training: the employer and the fund must keep the proof,
  GDPR art. 17(3)(b)) the certificate stays valid with its PDF until the hold ends;
- otherwise it is revoked and its PDF files (every version) deleted: a PDF that still verified would
  keep proving the erased person's name, and the staff ZIP includes only valid certificates.
"""

from __future__ import annotations

from django.db.models import Q

from academy.core import privacy

from .models import Certificate, CertificateEvent, private_storage

ERASURE_REASON = "erasure"


def export_certificates(person) -> list[dict]:
    return [
        {"code": c.code, "course": c.course.title, "hours": c.hours, "first_date": c.first_date,
         "last_date": c.last_date, "issued_at": c.issued_at, "status": c.status}
        for c in Certificate.objects.filter(person=person).select_related("course")
    ]


def delete_pdf_files(certificate: Certificate) -> None:
    folder = f"certificates/{certificate.course_id}"
    if not private_storage.exists(folder):
        return
    _dirs, files = private_storage.listdir(folder)
    for name in files:
        if name.startswith(f"{certificate.code}-v"):
            private_storage.delete(f"{folder}/{name}")


def erase_certificates(person, *, by, now) -> None:
    words = privacy.identifiers(person)
    mentioning = privacy.mentions(person)("note")
    events = CertificateEvent.objects.filter(Q(certificate__person=person) | mentioning)
    for event in events.filter(mentioning):
        CertificateEvent.objects.filter(pk=event.pk).update(note=privacy.redact(event.note, person, words=words))
    for certificate in Certificate.objects.filter(person=person).select_related("course"):
        if privacy.held_until(certificate.course, now) is not None:
            continue
        delete_pdf_files(certificate)
        if certificate.is_valid:
            CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.REVOKED,
                                            version=certificate.version, note=ERASURE_REASON)
        Certificate.objects.filter(pk=certificate.pk).update(
            status=Certificate.Status.REVOKED, revoked_reason=ERASURE_REASON,
            revoked_at=certificate.revoked_at or now, pdf="")


privacy.register("certificates", export=export_certificates, erase=erase_certificates, order=30,
                 export_order=40)
