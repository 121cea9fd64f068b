"""What a certificate prints, mapped from the database into ``rendering.CertificateContent``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.attendance.services import counted_sessions
from academy.core.urls import absolute_url
from academy.courses.models import CoursePage
from academy.evaluation import services as evaluation
from academy.network.models import Person

from ..models import Certificate
from ..rendering import LANGUAGES, CertificateContent
from ..rendering.content import BRAND_NAME, BRAND_NETWORK, LegalAttestato, LegalModule
from .rules import CertificateError


def verify_path(code: str) -> str:
    """``/it/certificates/verify/<code>/`` - always the default language, so the QR never changes."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("certificates:verify_code", args=[code])


def verify_url(code: str) -> str:
    """The public verification URL printed as a QR code."""
    return absolute_url(verify_path(code))


def person_language(person: Person) -> str:
    lang = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    return lang if lang in LANGUAGES else "it"


@dataclass
class CourseFacts:
    """What every certificate of one course prints, per language (computed once per bulk run)."""

    course: CoursePage
    dates: list[datetime.date]
    kind: str
    per_language: dict[str, dict[str, Any]] = field(default_factory=dict)
    legal_modules: list[Any] = field(default_factory=list)  # academy.obligations CourseModule rows
    has_test: bool | None = None  # learning test (academy.evaluation), looked up once per course

    @classmethod
    def load(cls, course: CoursePage) -> CourseFacts:
        course = course.canonical
        dates = sorted({timezone.localtime(s.starts_at).date() for s in counted_sessions(course)})
        if not dates:
            raise CertificateError(_("The course has no sessions."))
        kind = course.specific_class._meta.model_name.removesuffix("page")
        return cls(course=course, dates=dates, kind=kind if kind in ("webinar", "masterclass") else "webinar",
                   legal_modules=legal_modules(course))

    def text(self, language: str) -> dict[str, Any]:
        if language not in self.per_language:
            with translation.override(language):
                page = self.course.localized
                self.per_language[language] = {
                    "title": page.title,
                    "trainers": [t.name for t in self.course.trainers.all()],
                    "tutor": self.course.tutor.name if self.course.tutor_id else "",
                    "areas": [a.display_name for a in self.course.areas.all()],
                    "competences": [c.display_name for c in self.course.competences.all()],
                }
        return self.per_language[language]


def certificate_content(certificate: Certificate, person: Person, facts: CourseFacts) -> CertificateContent:
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
        legal=legal_attestato(person, facts),
        learning_test=learning_test_outcome(facts, person),
        tutor=text["tutor"],
    )


# --- legal attestato (mandatory training) -----------------------------------------------------------


def legal_modules(course: CoursePage) -> list:
    from academy.obligations.models import CourseModule

    return list(CourseModule.objects.filter(course_id=course.pk).select_related("obligation"))


def legal_attestato(person: Person, facts: CourseFacts) -> LegalAttestato | None:
    """The items of the Agreement 59/CSR of 17/04/2025, Part I, point 6, for a course that satisfies an
    obligation (None otherwise); see ``certificates.rendering.content.LegalAttestato``.

    Settings (``CERTIFICATES``): ``TRAINING_BODY`` (a, default the Academy and its network),
    ``LEGAL_REPRESENTATIVE`` (e, the name printed under the role), ``PLACE`` (f)."""
    if not facts.legal_modules:
        return None
    config = settings.CERTIFICATES
    obligations = list(dict.fromkeys(m.obligation for m in facts.legal_modules))
    return LegalAttestato(
        training_body=config.get("TRAINING_BODY") or f"{BRAND_NAME} — {BRAND_NETWORK}",
        fiscal_code=person.fiscal_code or "",
        course_types=[o.title for o in obligations],
        legal_references=list(dict.fromkeys(o.legal_reference for o in obligations)),
        modules=[LegalModule(m.title or m.obligation.title, m.hours, m.delivery_mode) for m in facts.legal_modules],
        duration_hours=facts.course.hours,
        place=config.get("PLACE", ""),
        legal_representative=config.get("LEGAL_REPRESENTATIVE", ""),
    )


# --- learning test (academy.evaluation) ------------------------------------------------------------------

def learning_test_outcome(facts: CourseFacts, person: Person) -> tuple[int, int] | None:
    """(score %, pass mark %) of the person's passed test for courses that have one, else None."""
    if facts.has_test is None:
        facts.has_test = evaluation.has_test(facts.course)
    if not facts.has_test:
        return None
    attempt = evaluation.best_attempt(person, facts.course)
    if attempt is None or not attempt.passed:
        return None
    return attempt.score_percent, attempt.pass_mark


def content_for(certificate: Certificate) -> CertificateContent:
    """What the certificate's PDF prints (also used by the Open Badge and the benchmark)."""
    return certificate_content(certificate, certificate.person, CourseFacts.load(certificate.course))

