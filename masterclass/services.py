"""Masterclass rules: applying, selecting, and who may see trainers' materials.

Every rule is here, once, transactional, and used by the site views, the Wagtail admin, management
commands and the demo loader alike. Accepted applicants become registrants only through
``academy.registrations.services.register(..., via_application=True)``: there is no second
registration path, so the membership rule, capacity and confirmation e-mails stay in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from academy.core.outbox import queue_email
from academy.core.permissions import is_staff
from academy.courses.models import CoursePage, Session
from academy.network.models import Person

from .models import Application, CaseStudyPage, MasterclassPage, Material


class ApplicationError(Exception):
    """A rule refused the application or the decision; ``str()`` is a message for people."""


class MaterialError(ValidationError):
    """An upload was refused (type, size, missing file or link, permission)."""


# --- who is who -----------------------------------------------------------------------------------


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).select_related("organisation").first()




def trainer_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    from academy.courses.models import Trainer

    return Trainer.objects.filter(user=user).first()


def trains(user, course: CoursePage) -> bool:
    """Is ``user`` one of the trainers of ``course`` (as listed on its canonical page)?"""
    trainer = trainer_of(user)
    return bool(trainer) and course.canonical.trainers.filter(pk=trainer.pk).exists()


def trainer_courses(user) -> list[CoursePage]:
    """Canonical (default-locale) courses the user trains, soonest first."""
    from wagtail.models import Locale

    trainer = trainer_of(user)
    if trainer is None:
        return []
    return list(CoursePage.objects.filter(trainers=trainer, locale=Locale.get_default())
                .order_by("first_starts_at").distinct())


# --- applications -----------------------------------------------------------------------------------


@dataclass
class ApplicationState:
    """What the masterclass page should offer the visitor."""

    person: Person | None = None
    application: Application | None = None
    can_apply: bool = False
    reason: str = ""
    needs_login: bool = False
    extra: dict = field(default_factory=dict)


def _eligibility(person: Person):
    from academy.network.services import eligibility

    return eligibility(person)


def application_state(user, page: CoursePage) -> ApplicationState:
    """Whether the visitor may apply to ``page`` now, and their current application if any."""
    course = page.canonical
    if getattr(page, "registration_mode", "") != CoursePage.RegistrationMode.APPLICATION:
        return ApplicationState(reason=gettext("This course does not take applications."))
    if not getattr(user, "is_authenticated", False):
        return ApplicationState(needs_login=True, reason=gettext("Log in to apply."))
    person = person_of(user)
    if person is None:
        return ApplicationState(reason=gettext("Your account is not linked to a person of the network yet."))
    application = (Application.objects.filter(course=course, person=person)
                   .exclude(status=Application.Status.REJECTED).order_by("-created_at").first())
    if application:
        return ApplicationState(person=person, application=application)
    if not course.registration_open:
        return ApplicationState(person=person, reason=gettext("Applications are closed."))
    result = _eligibility(person)
    if not result.eligible:
        return ApplicationState(person=person, reason=str(result.reason) or gettext(
            "Training is open exclusively to members of the network."))
    return ApplicationState(person=person, can_apply=True)


@transaction.atomic
def submit_application(person: Person, course: CoursePage, *, role: str, motivation: str,
                       endorser_name: str, endorser_email: str, organisation=None,
                       consent_version: str | None = None) -> Application:
    """Record an application to a masterclass and acknowledge it by e-mail to the applicant and to
    the endorser (so a false endorsement is noticed by the person named)."""
    course = course.canonical.specific
    if not isinstance(course, MasterclassPage) or course.registration_mode != CoursePage.RegistrationMode.APPLICATION:
        raise ApplicationError(gettext("This course does not take applications."))
    if not course.registration_open:
        raise ApplicationError(gettext("Applications are closed."))
    result = _eligibility(person)
    if not result.eligible:
        raise ApplicationError(str(result.reason) or gettext(
            "Training is open exclusively to members of the network."))
    role, motivation = role.strip(), motivation.strip()
    endorser_name, endorser_email = endorser_name.strip(), endorser_email.strip().lower()
    if not role or not motivation or not endorser_name:
        raise ApplicationError(gettext("Role, motivation and endorser are required."))
    try:
        validate_email(endorser_email)
    except ValidationError as exc:
        raise ApplicationError(gettext("The endorser's e-mail address is not valid.")) from exc
    if endorser_email == person.email.lower():
        raise ApplicationError(gettext("The endorsement must come from your director or HR officer, "
                                       "not from yourself."))
    from academy.registrations.models import Registration

    if Registration.objects.filter(course=course, person=person, status__in=Registration.ACTIVE_STATUSES).exists():
        raise ApplicationError(gettext("You are already registered for this masterclass."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                course=course, person=person, role=role[:150], motivation=motivation,
                organisation=organisation or getattr(result, "organisation", None) or person.organisation,
                endorser_name=endorser_name[:150], endorser_email=endorser_email,
                consent_version=consent_version or settings.ACADEMY["PRIVACY_NOTICE_VERSION"],
            )
    except IntegrityError as exc:
        raise ApplicationError(gettext("You have already applied to this masterclass.")) from exc
    _notify(application, "received")
    _notify_endorser(application)
    return application


DECISIONS = {
    "accept": Application.Status.ACCEPTED,
    "wait": Application.Status.WAITING,
    "reject": Application.Status.REJECTED,
}


@transaction.atomic
def decide_application(application: Application, decision: str, by, note: str = "") -> Application:
    """Accept, put on the waiting list, or reject an application, and tell the applicant.

    Accepting registers the person through the registration service in the same transaction: if the
    registration is refused (no longer a member, already registered, ...) nothing changes. Accepted
    and rejected are final; submitted and waiting applications can still be decided.
    """
    if decision not in DECISIONS:
        raise ApplicationError(gettext("Unknown decision."))
    application = Application.objects.select_for_update().select_related("person", "course").get(
        pk=application.pk)
    status = DECISIONS[decision]
    if application.status == status:
        return application
    if application.status not in Application.OPEN_STATUSES:
        raise ApplicationError(gettext("This application has already been decided (%(status)s).")
                               % {"status": application.get_status_display()})
    if status == Application.Status.ACCEPTED:
        from academy.registrations.services import RegistrationError, register

        try:
            application.registration = register(application.person, application.course, by=by,
                                                consent_version=application.consent_version or None,
                                                via_application=True)
        except RegistrationError as exc:
            raise ApplicationError(str(exc)) from exc
    application.status = status
    application.decided_by = by if getattr(by, "is_authenticated", False) else None
    application.decided_at = timezone.now()
    application.note = note.strip()
    application.save()
    _notify(application, status)
    return application


def _notify(application: Application, event: str) -> None:
    person = application.person
    course = application.course
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        localized = course.get_translation_or_none(_locale(person.preferred_language)) or course
        context = {"application": application, "person": person, "course": localized.specific,
                   "course_url": localized.full_url or "", "note": application.note,
                   "registration": application.registration}
        subjects = {
            "received": gettext("Application received: %(title)s"),
            Application.Status.ACCEPTED: gettext("You have been selected: %(title)s"),
            Application.Status.WAITING: gettext("Waiting list: %(title)s"),
            Application.Status.REJECTED: gettext("Your application: %(title)s"),
        }
        subject = subjects[event] % {"title": localized.title}
        body = render_to_string(f"emails/masterclass/application_{event}.txt", context)
    queue_email(f"masterclass-application-{application.pk}-{event}", person.email, subject, body)


def _notify_endorser(application: Application) -> None:
    person = application.person
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        subject = gettext("Endorsement of %(name)s for %(title)s") % {"name": person.full_name,
                                                                      "title": application.course.title}
        body = render_to_string("emails/masterclass/application_endorser.txt",
                                {"application": application, "person": person, "course": application.course,
                                 "contact": settings.ACADEMY["CONTACT_EMAIL"]})
    queue_email(f"masterclass-application-{application.pk}-endorser", application.endorser_email, subject, body)


def _locale(language_code: str):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language_code).first() or Locale.get_default()


# --- materials ------------------------------------------------------------------------------------

ALLOWED_EXTENSIONS = ("pdf", "pptx", "docx", "xlsx", "odp", "odt", "ods", "zip")
_ZIP_BASED = {"pptx", "docx", "xlsx", "odp", "odt", "ods", "zip"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "MATERIALS_MAX_UPLOAD_MB", 25)) * 1024 * 1024


def _check_file(upload: UploadedFile) -> str:
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lstrip(".").lower()
    if ext in {"mp4", "mov", "avi", "mkv", "webm"}:
        raise MaterialError(_("Videos cannot be uploaded: share a link to the recording instead."),
                            code="video")
    if ext not in ALLOWED_EXTENSIONS:
        raise MaterialError(
            _("Files of type “%(ext)s” are not accepted. Allowed: %(allowed)s."),
            code="type", params={"ext": ext or "?", "allowed": ", ".join(ALLOWED_EXTENSIONS)})
    limit = max_upload_bytes()
    if upload.size > limit:
        raise MaterialError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."), code="size",
            params={"size": f"{upload.size / 1024 / 1024:.1f}", "limit": limit // (1024 * 1024)})
    if upload.size == 0:
        raise MaterialError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if (ext == "pdf" and not head.startswith(b"%PDF")) or (ext in _ZIP_BASED and not head.startswith(b"PK\x03\x04")):
        raise MaterialError(_("The file's content does not match its “.%(ext)s” extension."),
                            code="content", params={"ext": ext})
    return name


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as exc:
        raise MaterialError(_("The link is not a valid web address (https://...)."), code="url") from exc
    return url


def can_manage_materials(user, session: Session) -> bool:
    return is_staff(user) or trains(user, session.course)


def add_material(session: Session, *, title: str, by, upload: UploadedFile | None = None, url: str = "",
                 visible_after_session: bool = False) -> Material:
    """Add a material (a file or a link) to a session. Nothing is half-saved: a refused upload leaves
    no row and no file; a failure after the file is written removes the file."""
    if not can_manage_materials(by, session):
        raise MaterialError(_("Only the course's trainers and staff can add materials."), code="permission")
    title = (title or "").strip()
    if not title:
        raise MaterialError(_("Give the material a title."), code="title")
    if bool(upload) == bool((url or "").strip()):
        raise MaterialError(_("Upload a file or give a link (one of the two)."), code="file_or_url")
    material = Material(session=session, title=title[:200], visible_after_session=visible_after_session,
                        uploaded_by=by)
    if upload:
        material.original_filename = _check_file(upload)[:255]
        material.size = upload.size
    else:
        material.url = _check_url(url)
    stored_name = ""
    try:
        with transaction.atomic():
            if upload:
                material.file.save(material.original_filename, upload, save=False)
                stored_name = material.file.name
            material.full_clean(exclude=["file", "url"])
            material.save()
    except Exception:
        if stored_name:
            material.file.storage.delete(stored_name)
        raise
    return material


def delete_material(material: Material, by) -> None:
    if not can_manage_materials(by, material.session):
        raise MaterialError(_("Only the course's trainers and staff can remove materials."), code="permission")
    name, storage = material.file.name, material.file.storage
    with transaction.atomic():
        material.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def is_confirmed_registrant(user, course: CoursePage) -> bool:
    from academy.registrations.models import Registration

    person = person_of(user)
    return bool(person) and Registration.objects.filter(
        course=course.canonical, person=person, status=Registration.Status.CONFIRMED).exists()


def can_access_material(user, material: Material, *, now=None) -> bool:
    """Staff and the course's trainers always; a confirmed registrant of the course, once the session
    has ended if the trainer chose so; nobody else."""
    session = material.session
    if is_staff(user) or trains(user, session.course):
        return True
    if not is_confirmed_registrant(user, session.course):
        return False
    if material.visible_after_session and session.ends_at > (now or timezone.now()):
        return False
    return True


def visible_materials(user, course: CoursePage, *, now=None) -> list[Material]:
    """The course's materials the user may see, in session order (empty for everyone else)."""
    course = course.canonical
    if not getattr(user, "is_authenticated", False):
        return []
    materials = list(Material.objects.filter(session__course=course, session__cancelled=False)
                     .select_related("session", "session__course"))
    if not materials:
        return []
    if is_staff(user) or trains(user, course):
        return materials
    if not is_confirmed_registrant(user, course):
        return []
    now = now or timezone.now()
    return [m for m in materials if not (m.visible_after_session and m.session.ends_at > now)]


# --- case studies ---------------------------------------------------------------------------------


def case_studies_for_masterclass(page: CoursePage) -> list[CaseStudyPage]:
    """Live case studies in the page's language presented in this masterclass (any translation)."""
    return list(CaseStudyPage.objects.live().public().filter(
        locale_id=page.locale_id, masterclasses__translation_key=page.translation_key,
    ).distinct().order_by("title"))
