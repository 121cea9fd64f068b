"""Issue, re-issue and revoke one certificate: one transactional function per operation.

A certificate exists from the moment it is issued (row + PDF + queued e-mail), never lazily on first
download. Issuing is idempotent: same person and course → same row, same code, no second e-mail.
After an attendance correction ``reissue`` (or a new bulk run) re-renders the PDF with the same code,
bumps ``version`` and e-mails the new version; ``CertificateEvent`` keeps the history.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.formats import hours as format_hours
from academy.core.users import acting_user
from academy.courses.models import CoursePage
from academy.network.models import Person

from ..codes import new_public_code
from ..models import Certificate, CertificateEvent
from .content import CourseFacts, person_language
from .delivery import render_and_deliver
from .rules import CertificateError, Eligibility, eligibility_for


def new_certificate(course: CoursePage, person: Person, elig: Eligibility, facts: CourseFacts,
                     now: datetime.datetime) -> Certificate:
    return Certificate(code=new_public_code(), course=course, person=person, hours=elig.hours,
                       minutes_attended=elig.minutes, first_date=facts.dates[0], last_date=facts.dates[-1],
                       issued_at=now, language=person_language(person))


def issue_certificate(course: CoursePage, person: Person, *, by=None) -> Certificate:
    """Issue (render, store, e-mail) the certificate of ``person`` for ``course``; idempotent.

    An existing certificate is returned as it is (same code; its PDF is rendered if a previous run
    crashed before that). Raises ``CertificateError`` if the person is not eligible.
    """
    course = course.canonical
    existing = Certificate.objects.filter(course=course, person=person).select_related("person").first()
    if existing is None:
        elig = eligibility_for(course, person)
        if elig.test_passed is False:
            raise CertificateError(_("%(person)s has not passed the learning test of this course.")
                                   % {"person": person.full_name})
        if not elig.eligible:
            raise CertificateError(_("%(person)s does not meet the attendance rule of this course.")
                                   % {"person": person.full_name})
        facts = CourseFacts.load(course)
        try:
            with transaction.atomic():
                existing = new_certificate(course, person, elig, facts, timezone.now())
                existing.save()
                CertificateEvent.objects.create(certificate=existing, action=CertificateEvent.Action.ISSUED,
                                                by=acting_user(by), note=attendance_note(elig.minutes, elig.hours))
        except IntegrityError:  # issued concurrently: that one wins
            return Certificate.objects.get(course=course, person=person)
    if not existing.pdf and existing.is_valid:
        render_and_deliver([existing], CourseFacts.load(course), by=by)
    return existing


def reissue(certificate: Certificate, *, by=None, note: str = "") -> Certificate:
    """After a correction: recompute minutes/hours, re-render with the same code, bump the version,
    e-mail the new version. Refused for revoked certificates and people no longer eligible."""
    if not certificate.is_valid:
        raise CertificateError(_("A revoked certificate cannot be re-issued."))
    course = certificate.course.canonical
    elig = eligibility_for(course, certificate.person)
    if not elig.eligible:
        raise CertificateError(_("%(person)s no longer meets the attendance rule: revoke the certificate "
                                 "instead.") % {"person": certificate.person.full_name})
    facts = CourseFacts.load(course)
    with transaction.atomic():
        bump_version(certificate, elig, facts, by, note)
    render_and_deliver([certificate], facts, by=by)
    return certificate


def attendance_note(minutes: int, hours) -> str:
    """The history note of an issue or re-issue: "90 min, 1,5 h" (hours as the active language writes them)."""
    return f"{minutes} min, {format_hours(hours)} h"


def bump_version(certificate: Certificate, elig: Eligibility, facts: CourseFacts, by, note: str) -> None:
    old = attendance_note(certificate.minutes_attended, certificate.hours)
    certificate.hours, certificate.minutes_attended = elig.hours, elig.minutes
    certificate.first_date, certificate.last_date = facts.dates[0], facts.dates[-1]
    certificate.version += 1
    certificate.pdf.name = ""
    certificate.save(update_fields=["hours", "minutes_attended", "first_date", "last_date", "version", "pdf"])
    CertificateEvent.objects.create(
        certificate=certificate, action=CertificateEvent.Action.REISSUED, version=certificate.version,
        by=acting_user(by), note=(note or f"{old} → {attendance_note(elig.minutes, elig.hours)}")[:300])


def revoke(certificate: Certificate, reason: str, by=None) -> Certificate:
    """Revoke with a mandatory reason (shown on the public verify page); kept, never deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("A reason is required to revoke a certificate."))
    if not certificate.is_valid:
        return certificate
    with transaction.atomic():
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_reason = reason[:300]
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["status", "revoked_reason", "revoked_at"])
        CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.REVOKED,
                                        version=certificate.version, by=acting_user(by), note=reason[:300])
    return certificate
