"""Certificate rules: eligibility, issue (single and bulk), re-issue, revocation, ZIP, Open Badges.

The course's rule (Moodle customcert-style, but on real attendance):

* only people with a **confirmed registration** count: attendance of someone who is not (or no longer)
  registered - a colleague who joined the Teams call with a forwarded link, a cancelled registration -
  never earns a certificate (``course_eligibility`` starts from the registrations, not the records);
* attended minutes are summed over **all** the course's counted sessions (canonical page, not
  cancelled; several sources at one session combine through ``academy.attendance.services.combine``);
* eligible when ``attended * 100 >= planned * course.attendance_threshold`` (integers: exactly at the
  threshold is eligible, no float rounding);
* certified hours = attended hours rounded **down** to ``course.hours_rounding``, never above
  ``course.hours``.

A certificate exists from the moment it is issued (row + PDF + queued e-mail), never lazily on first
download. Issuing is idempotent: same person and course → same row, same code, no second e-mail.
After an attendance correction ``reissue`` (or a new bulk run) re-renders the PDF with the same code,
bumps ``version`` and e-mails the new version; ``CertificateEvent`` keeps the history.

PDFs are rendered by ``certificates.rendering`` (bulk path: many pages per WeasyPrint document, forked
workers) and stored under ``settings.PRIVATE_ROOT``; they are served only by permission-checking views.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.attendance.services import attended_minutes, counted_sessions
from academy.core.models import OutboxMessage
from academy.core.outbox import Attachment, queue_email
from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.registrations.models import Registration

from . import openbadges
from .codes import new_public_code
from .models import BulkIssueJob, Certificate, CertificateEvent, private_storage
from .rendering import LANGUAGES, CertificateContent, iter_certificates_pdf, render_certificate_pdf

logger = logging.getLogger(__name__)


class CertificateError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the rule ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    person_id: int
    minutes: int
    planned: int
    threshold: int
    eligible: bool
    hours: Decimal


def certified_hours(course: CoursePage, minutes: int) -> Decimal:
    """Attended hours rounded down to ``course.hours_rounding`` (0 = no rounding), capped at
    ``course.hours``: 1h20 with 0.5 → 1; 2h59 with 0.25 → 2.75."""
    hours = Decimal(minutes) / Decimal(60)
    step = Decimal(course.hours_rounding or 0)
    if step > 0:
        hours = (hours / step).to_integral_value(rounding=ROUND_FLOOR) * step
    else:
        hours = hours.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return min(hours, Decimal(course.hours)).quantize(Decimal("0.01"))


def _judge(course: CoursePage, person_id: int, minutes: int, planned: int) -> Eligibility:
    threshold = course.attendance_threshold or 80
    eligible = planned > 0 and minutes > 0 and minutes * 100 >= planned * threshold
    return Eligibility(person_id=person_id, minutes=minutes, planned=planned, threshold=threshold,
                       eligible=eligible, hours=certified_hours(course, minutes))


def course_eligibility(course: CoursePage) -> dict[int, Eligibility]:
    """``{person_id: Eligibility}`` for every confirmed registrant of the course (only they count)."""
    course = course.canonical
    planned = sum(s.planned_minutes for s in counted_sessions(course))
    registrants = list(Registration.objects.filter(course=course, status=Registration.Status.CONFIRMED)
                       .values_list("person_id", flat=True))
    minutes = attended_minutes(course, registrants)
    return {pid: _judge(course, pid, minutes.get(pid, 0), planned) for pid in registrants}


def eligibility_for(course: CoursePage, person: Person) -> Eligibility:
    """The rule for one person (not eligible at all without a confirmed registration)."""
    course = course.canonical
    planned = sum(s.planned_minutes for s in counted_sessions(course))
    registered = Registration.objects.filter(course=course, person=person,
                                             status=Registration.Status.CONFIRMED).exists()
    if not registered:
        return Eligibility(person.pk, 0, planned, course.attendance_threshold, False, Decimal("0.00"))
    minutes = attended_minutes(course, [person.pk]).get(person.pk, 0)
    return _judge(course, person.pk, minutes, planned)


# --- contents -------------------------------------------------------------------------------------


def verify_path(code: str) -> str:
    """``/it/certificates/verify/<code>/`` - always the default language, so the QR never changes."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("certificates:verify_code", args=[code])


def verify_url(code: str) -> str:
    """The public verification URL printed as a QR code (``settings.SITE_URL`` + ``verify_path``)."""
    return settings.SITE_URL.rstrip("/") + verify_path(code)


def person_language(person: Person) -> str:
    lang = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    return lang if lang in LANGUAGES else "it"


@dataclass
class _CourseFacts:
    """What every certificate of one course prints, per language (computed once per bulk run)."""

    course: CoursePage
    dates: list[datetime.date]
    kind: str
    per_language: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, course: CoursePage) -> _CourseFacts:
        course = course.canonical
        dates = sorted({timezone.localtime(s.starts_at).date() for s in counted_sessions(course)})
        if not dates:
            raise CertificateError(_("The course has no sessions."))
        kind = course.specific_class._meta.model_name.removesuffix("page")
        return cls(course=course, dates=dates, kind=kind if kind in ("webinar", "masterclass") else "webinar")

    def text(self, language: str) -> dict[str, Any]:
        if language not in self.per_language:
            from academy.registrations.invitations import localized_course

            with translation.override(language):
                page = localized_course(self.course, language)
                self.per_language[language] = {
                    "title": page.title,
                    "trainers": [t.name for t in self.course.trainers.all()],
                    "areas": [a.display_name for a in self.course.areas.all()],
                    "competences": [c.display_name for c in self.course.competences.all()],
                }
        return self.per_language[language]


def _content(certificate: Certificate, person: Person, facts: _CourseFacts) -> CertificateContent:
    text = facts.text(certificate.language)
    return CertificateContent(
        code=certificate.code,
        participant_name=person.full_name,
        course_title=text["title"],
        course_kind=facts.kind,
        dates=facts.dates,
        hours=certificate.hours,
        trainers=text["trainers"],
        areas=text["areas"],
        competences=text["competences"],
        issued_on=timezone.localtime(certificate.issued_at).date(),
        verify_url=verify_url(certificate.code),
        language=certificate.language,
        revoked=not certificate.is_valid,
        organisation=person.organisation.name if person.organisation_id else None,
    )


def content_for(certificate: Certificate) -> CertificateContent:
    """What the certificate's PDF prints (also used by the Open Badge and the benchmark)."""
    return _content(certificate, certificate.person, _CourseFacts.load(certificate.course))


# --- storing and sending ----------------------------------------------------------------------------


def _pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.course_id}/{certificate.code}-v{certificate.version}.pdf"


def _store_pdf(certificate: Certificate, pdf: bytes) -> str:
    name = _pdf_name(certificate)
    if private_storage.exists(name):  # a retried run: same version, same content
        private_storage.delete(name)
    return private_storage.save(name, ContentFile(pdf))


def _email(certificate: Certificate, person: Person, title: str, pdf: bytes, by=None) -> bool:
    """Queue the certificate e-mail (once per version); True if newly queued."""
    if not person.email:
        return False
    key = f"certificate:{certificate.pk}:v{certificate.version}"
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    with translation.override(certificate.language):
        context = {"person": person, "course_title": title, "certificate": certificate,
                   "verify_url": verify_url(certificate.code), "site_url": settings.SITE_URL.rstrip("/"),
                   "reissued": certificate.version > 1}
        body = render_to_string("emails/certificates/issued.txt", context)
        subject = (_("Updated certificate of attendance: %(course)s") if certificate.version > 1
                   else _("Your certificate of attendance: %(course)s")) % {"course": title}
        filename = f"{_('certificate')}-{certificate.code}.pdf"
    queue_email(key, person.email, subject, body,
                attachments=[Attachment(filename, pdf, "application/pdf")])
    CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.EMAILED,
                                    version=certificate.version, by=_actor(by), note=person.email[:300])
    return True


def _actor(by):
    return by if (by is not None and getattr(by, "is_authenticated", False)) else None


def _safe_workers(workers: int | None) -> int | None:
    """Forking a multi-threaded process is unsafe: render in-process when threads are around (e.g. the
    immediate task backend inside a threaded web server)."""
    if threading.active_count() > 1:
        return 1
    return workers


def _render_and_deliver(certificates: Sequence[Certificate], facts: _CourseFacts, *, by=None,
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
    contents = [_content(c, c.person, facts) for c in certificates]
    if len(contents) == 1:
        stream = iter([([0], [render_certificate_pdf(contents[0])])])
    else:
        stream = iter_certificates_pdf(contents, chunk_size=chunk_size, workers=_safe_workers(workers))
    for positions, pdfs in stream:
        batch = [certificates[i] for i in positions]
        names = [_store_pdf(c, pdf) for c, pdf in zip(batch, pdfs, strict=True)]
        with transaction.atomic():
            for certificate, pdf, name in zip(batch, pdfs, names, strict=True):
                certificate.pdf.name = name
                Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
                emailed += _email(certificate, certificate.person, facts.text(certificate.language)["title"],
                                  pdf, by=by)
        if on_progress:
            on_progress(len(batch))
    return emailed


# --- issue ------------------------------------------------------------------------------------------


def _new_certificate(course: CoursePage, person: Person, elig: Eligibility, facts: _CourseFacts,
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
        if not elig.eligible:
            raise CertificateError(_("%(person)s does not meet the attendance rule of this course.")
                                   % {"person": person.full_name})
        facts = _CourseFacts.load(course)
        try:
            with transaction.atomic():
                existing = _new_certificate(course, person, elig, facts, timezone.now())
                existing.save()
                CertificateEvent.objects.create(certificate=existing, action=CertificateEvent.Action.ISSUED,
                                                by=_actor(by), note=f"{elig.minutes} min, {elig.hours} h")
        except IntegrityError:  # issued concurrently: that one wins
            return Certificate.objects.get(course=course, person=person)
    if not existing.pdf and existing.is_valid:
        _render_and_deliver([existing], _CourseFacts.load(course), by=by)
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
    facts = _CourseFacts.load(course)
    with transaction.atomic():
        _bump(certificate, elig, facts, by, note)
    _render_and_deliver([certificate], facts, by=by)
    return certificate


def _bump(certificate: Certificate, elig: Eligibility, facts: _CourseFacts, by, note: str) -> None:
    old = f"{certificate.minutes_attended} min, {certificate.hours} h"
    certificate.hours, certificate.minutes_attended = elig.hours, elig.minutes
    certificate.first_date, certificate.last_date = facts.dates[0], facts.dates[-1]
    certificate.version += 1
    certificate.pdf.name = ""
    certificate.save(update_fields=["hours", "minutes_attended", "first_date", "last_date", "version", "pdf"])
    CertificateEvent.objects.create(
        certificate=certificate, action=CertificateEvent.Action.REISSUED, version=certificate.version,
        by=_actor(by), note=(note or f"{old} → {elig.minutes} min, {elig.hours} h")[:300])


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
                                        version=certificate.version, by=_actor(by), note=reason[:300])
    return certificate


@dataclass
class BulkIssueResult:
    eligible: int = 0
    ineligible: int = 0
    created: int = 0
    reissued: int = 0
    unchanged: int = 0
    rendered: int = 0
    emailed: int = 0
    codes: dict[int, str] = field(default_factory=dict)


def issue_for_course(course: CoursePage, by=None, *, job: BulkIssueJob | None = None,
                     workers: int | None = None, chunk_size: int = 50) -> BulkIssueResult:
    """Issue the certificates of every eligible confirmed registrant; idempotent.

    In one transaction: new ``Certificate`` rows (with codes) for eligible people without one, and a
    version bump for valid certificates whose minutes/hours changed since (a correction). Then every
    valid certificate still without a PDF is rendered with the bulk path, stored and e-mailed, batch
    by batch (``job`` shows the progress). Running it again issues nothing twice and sends nothing twice.
    People who are no longer eligible keep their certificate: revoking is a staff decision.
    """
    course = course.canonical
    facts = _CourseFacts.load(course)
    verdicts = course_eligibility(course)
    result = BulkIssueResult(eligible=sum(v.eligible for v in verdicts.values()))
    result.ineligible = len(verdicts) - result.eligible
    now = timezone.now()
    with transaction.atomic():
        existing = {c.person_id: c for c in Certificate.objects.select_for_update().filter(course=course)}
        people = Person.objects.in_bulk([pid for pid, v in verdicts.items() if v.eligible and pid not in existing])
        new = [_new_certificate(course, people[pid], v, facts, now)
               for pid, v in verdicts.items() if v.eligible and pid not in existing]
        Certificate.objects.bulk_create(new, batch_size=500)
        if new and new[0].pk is None:  # backends that do not return ids from bulk inserts
            new = list(Certificate.objects.filter(course=course, person_id__in=[c.person_id for c in new]))
        CertificateEvent.objects.bulk_create(
            [CertificateEvent(certificate=c, action=CertificateEvent.Action.ISSUED, at=now, by=_actor(by),
                              note=f"{c.minutes_attended} min, {c.hours} h") for c in new], batch_size=500)
        result.created = len(new)
        for pid, certificate in existing.items():
            verdict = verdicts.get(pid)
            if (certificate.is_valid and verdict is not None and verdict.eligible
                    and (certificate.minutes_attended, certificate.hours) != (verdict.minutes, verdict.hours)):
                _bump(certificate, verdict, facts, by, "")
                result.reissued += 1
    pending = list(Certificate.objects.filter(course=course, status=Certificate.Status.VALID, pdf="")
                   .select_related("person__organisation").order_by("pk"))
    result.unchanged = len(existing) - result.reissued
    if job is not None:
        BulkIssueJob.objects.filter(pk=job.pk).update(total=len(pending), done=0, created=result.created,
                                                      reissued=result.reissued, ineligible=result.ineligible)

    def progress(n: int) -> None:
        result.rendered += n
        if job is not None:
            BulkIssueJob.objects.filter(pk=job.pk).update(done=result.rendered)

    result.emailed = _render_and_deliver(pending, facts, by=by, workers=workers, chunk_size=chunk_size,
                                         on_progress=progress)
    result.codes = dict(Certificate.objects.filter(course=course).values_list("person_id", "code"))
    return result


# --- background bulk issue --------------------------------------------------------------------------


def start_bulk_issue(course: CoursePage, by) -> BulkIssueJob:
    """Staff action: queue a bulk issue for ``course`` (one at a time per course)."""
    from .tasks import bulk_issue_task

    course = course.canonical
    with transaction.atomic():
        running = BulkIssueJob.objects.filter(course=course, status__in=BulkIssueJob.ACTIVE).first()
        if running is not None:
            return running
        job = BulkIssueJob.objects.create(course=course, requested_by=_actor(by))
        transaction.on_commit(lambda: bulk_issue_task.enqueue(job.pk))
    return job


def run_bulk_issue(job_id: int) -> BulkIssueJob:
    """Body of the background task: run ``issue_for_course`` and record the outcome on the job."""
    job = BulkIssueJob.objects.select_related("course", "requested_by").get(pk=job_id)
    if job.status not in BulkIssueJob.ACTIVE:
        return job
    BulkIssueJob.objects.filter(pk=job.pk).update(status=BulkIssueJob.Status.RUNNING, started_at=timezone.now())
    try:
        issue_for_course(job.course, job.requested_by, job=job)
    except Exception as exc:
        logger.exception("bulk issue %s failed", job.pk)
        BulkIssueJob.objects.filter(pk=job.pk).update(status=BulkIssueJob.Status.FAILED,
                                                      error=f"{type(exc).__name__}: {exc}"[:2000],
                                                      finished_at=timezone.now())
    else:
        BulkIssueJob.objects.filter(pk=job.pk).update(status=BulkIssueJob.Status.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


# --- access, files, ZIP -----------------------------------------------------------------------------


def may_download(user, certificate: Certificate) -> bool:
    """The certificate's person (while valid) and staff."""
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser:
        return True
    person = getattr(user, "person", None)
    return person is not None and person.pk == certificate.person_id and certificate.is_valid


def pdf_bytes(certificate: Certificate) -> bytes:
    """The stored PDF (rendered now only if the file went missing; the row already exists)."""
    if certificate.pdf and private_storage.exists(certificate.pdf.name):
        with private_storage.open(certificate.pdf.name, "rb") as fh:
            return fh.read()
    pdf = render_certificate_pdf(content_for(certificate))
    name = _store_pdf(certificate, pdf)
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


# --- Open Badges 3.0 --------------------------------------------------------------------------------


def open_badge(certificate: Certificate) -> dict[str, Any]:
    """OB 3.0 ``OpenBadgeCredential`` for a valid certificate; the recipient is a salted e-mail hash."""
    if not certificate.is_valid:
        raise CertificateError(_("A revoked certificate cannot be exported."))
    content = content_for(certificate)
    site = settings.SITE_URL.rstrip("/")
    course = certificate.course.canonical
    salt = hmac.new(settings.SECRET_KEY.encode(), certificate.code.encode(), hashlib.sha256).hexdigest()[:16]
    criteria = {
        "it": f"Partecipazione ad almeno il {course.attendance_threshold}% dei minuti previsti dal percorso "
              "formativo.",
        "en": f"Attended at least {course.attendance_threshold}% of the planned minutes.",
    }[content.language]
    return openbadges.build_credential(
        content, issuer_id=f"{site}/", issuer_name=settings.WAGTAIL_SITE_NAME, issuer_url=f"{site}/",
        achievement_id=f"{site}/certificates/achievements/{course.pk}",
        identifiers=[openbadges.hashed_email_identity(certificate.person.email, salt)],
        valid_from=certificate.issued_at, criteria_narrative=criteria,
    )


def signing_key() -> bytes | None:
    path = settings.CERTIFICATES.get("SIGNING_KEY_PATH") or ""
    return Path(path).read_bytes() if path else None


def signed_open_badge(certificate: Certificate) -> str | None:
    """The credential as a VC-JOSE compact JWS, or ``None`` when no signing key is configured."""
    key = signing_key()
    return openbadges.sign_credential(open_badge(certificate), key) if key else None


def badge_json(certificate: Certificate) -> str:
    return json.dumps(open_badge(certificate), ensure_ascii=False, indent=2)
