"""Masterclass rules: applying and selecting.

Every rule is here, once, transactional, and used by the site views, the Wagtail admin, management
commands and the demo loader alike. Accepted applicants become registrants only through
``academy.registrations.services.register(..., via_application=True)``: there is no second
registration path, so the membership rule, capacity and confirmation e-mails stay in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from academy.core.outbox import queue_email
from academy.core.urls import page_url
from academy.core.users import acting_user
from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.network.services import person_of

from .models import Application, CaseStudyPage, MasterclassPage


class ApplicationError(Exception):
    """A rule refused the application or the decision; ``str()`` is a message for people."""


# --- who is who -----------------------------------------------------------------------------------


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

    if Registration.objects.active().filter(course=course, person=person).exists():
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
    application.decided_by = acting_user(by)
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
                   "course_url": page_url(localized), "note": application.note,
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


# --- case studies ---------------------------------------------------------------------------------


def case_studies_for_masterclass(page: CoursePage) -> list[CaseStudyPage]:
    """Live case studies in the page's language presented in this masterclass (any translation)."""
    return list(CaseStudyPage.objects.live().public().filter(
        locale_id=page.locale_id, masterclasses__translation_key=page.translation_key,
    ).select_related("area").distinct().order_by("title"))
