"""What the registration pages and services read: the course with its seat counts, counts per status,
waiting-list positions, who may register whom and why someone cannot register now."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from academy.core.permissions import is_staff
from academy.courses.models import CoursePage, RegistrationState, schedule_sequence_of
from academy.courses.models import canonical_course as canonical
from academy.network.models import Person
from academy.network.services import eligibility, is_hr_officer_for

from .errors import DeadlinePassed, NotAllowed, NotEligible, RegistrationClosed, RegistrationError
from .models import Registration

Status = Registration.Status
Mode = CoursePage.RegistrationMode

# What ``register`` reads from a course: who may register and whether a seat is free (the e-mail is
# written later, by the worker that sends it), and the URL to send a browser back to.
REGISTER_FIELDS = ("live", "locale", "translation_key", "url_path", "capacity", "registration_mode",
                   "registration_deadline", "first_starts_at", "last_ends_at")


def seat_counts(course_id: int) -> tuple[int, int]:
    """(confirmed, waiting) of a course in one query (``register`` reads it under the course lock)."""
    counts = Registration.objects.filter(course_id=course_id).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)), waiting=Count("pk", filter=Q(status=Status.WAITING)))
    return counts["confirmed"], counts["waiting"]


def registrable_course(course_id: int) -> CoursePage:
    """The canonical (default-locale) course named by any of its translations' ids, with what
    ``register`` reads (``REGISTER_FIELDS``) and its schedule SEQUENCE in one query; other fields load on
    access, and a translation's id costs one more query, for its canonical page.
    Raises ``CoursePage.DoesNotExist``."""
    course = (CoursePage.objects.filter(pk=int(course_id)).select_related("locale")
              .only(*REGISTER_FIELDS, "locale__language_code")
              .annotate(schedule_sequence=schedule_sequence_of()).first())
    if course is None:
        raise CoursePage.DoesNotExist(f"no course {course_id}")
    if course.locale.language_code != settings.LANGUAGE_CODE:
        return course.canonical
    course.__dict__["canonical"] = course  # prime the cached_property
    return course


def confirmed_count(course: CoursePage) -> int:
    return Registration.objects.confirmed().filter(course_id=course.pk).count()


def free_seats(course: CoursePage) -> int | None:
    """Seats left (None: unlimited)."""
    course = canonical(course)
    if course.capacity is None:
        return None
    return max(course.capacity - confirmed_count(course), 0)


@dataclass(frozen=True)
class PublicState:
    """What a visitor is told about a course wherever it appears (course page, catalogue and home
    cards): ``code`` is one of ``RegistrationState``'s values or ``"full"``."""

    code: str
    label: str
    free_seats: int | None

    @property
    def is_open(self) -> bool:
        return self.code in (RegistrationState.OPEN, FULL)


FULL = "full"


def public_state(course: CoursePage, now: datetime.datetime | None = None, *,
                 confirmed: int | None = None) -> PublicState:
    """The course's state for visitors: ``CoursePage.registration_state`` (the one open/closed rule)
    refined by the seats left; a full course that is still open takes waiting-list registrations, as
    ``register`` does. ``confirmed`` may be passed when already counted (``attach_public_states``)."""
    course = canonical(course)
    state = course.registration_state(now)
    free = None
    if course.capacity is not None:
        if confirmed is None:
            confirmed = confirmed_count(course)
        free = max(course.capacity - confirmed, 0)
    if state == RegistrationState.OPEN and free == 0:
        return PublicState(FULL, str(_("The course is full: you can join the waiting list.")), 0)
    return PublicState(state.value, str(state.label), free)


def attach_public_states(courses: list[CoursePage], now: datetime.datetime | None = None) -> None:
    """Set ``public_state`` on each listed course (any locale) with one query for all seat counts."""
    if not courses:
        return
    default = Locale.get_default()
    sources = {c.translation_key: c for c in CoursePage.objects.filter(
        translation_key__in={course.translation_key for course in courses}, locale=default)}
    for source in sources.values():
        source.__dict__["canonical"] = source  # already the default-locale page: no query per course
    canonicals = {course.pk: sources.get(course.translation_key, course) for course in courses}
    rows = (Registration.objects.confirmed().filter(course_id__in={c.pk for c in canonicals.values()})
            .values("course_id").annotate(n=Count("pk")).values_list("course_id", "n"))
    confirmed = dict(rows)
    for course in courses:
        source = canonicals[course.pk]
        course.public_state = public_state(source, now, confirmed=confirmed.get(source.pk, 0))


def counts(course: CoursePage) -> dict[str, int]:
    """Registrations per status for a course (confirmed / waiting / pending / cancelled)."""
    course = canonical(course)
    rows = Registration.objects.filter(course_id=course.pk).values("status").annotate(n=Count("pk"))
    result = {s: 0 for s in Status.values}
    result.update({row["status"]: row["n"] for row in rows})
    return result


def waiting_position(registration: Registration) -> int | None:
    """1-based place on the waiting list (first come, first promoted)."""
    if registration.status != Status.WAITING:
        return None
    ahead = Registration.objects.filter(course_id=registration.course_id, status=Status.WAITING).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    ).count()
    return ahead + 1


def consent_on_record(person: Person | None, version: str) -> bool:
    """Has ``person`` accepted privacy notice ``version`` with an earlier registration? Then the course
    page does not ask again; a new notice version is asked for once more."""
    return bool(person and version) and Registration.objects.filter(person=person, consent_version=version).exists()


def active_registration(person: Person | None, course: CoursePage) -> Registration | None:
    if person is None:
        return None
    return Registration.objects.active().filter(person=person, course_id=canonical(course).pk).first()


def may_register_for(user, person: Person) -> bool:
    """Oneself, staff, or an HR officer of the person's organisation (or of its consortium)."""
    if user is None:
        return True  # the system itself (commands, tasks, applications)
    if not getattr(user, "is_authenticated", False):
        return False
    return person.user_id == user.pk or is_staff(user) or is_hr_officer_for(user, person)


def may_cancel(user, registration: Registration) -> bool:
    return may_register_for(user, registration.person)


def registration_blocker(person: Person | None, course: CoursePage, *, by=None, via_application: bool = False,
                         now: datetime.datetime | None = None) -> RegistrationError | None:
    """Why ``person`` cannot register now (None if they can); used by ``register`` and the course page.
    Whether registration is open is ``CoursePage.registration_state``; staff and accepted applications
    may pass the deadline."""
    course = canonical(course)
    now = now or timezone.now()
    if person is None:
        return NotEligible(_("Your account is not linked to a person of the network yet."))
    if not may_register_for(by, person):
        return NotAllowed()
    status = eligibility(person)
    if not status.eligible:
        return NotEligible(status.reason)
    if course.registration_mode == Mode.APPLICATION and not via_application:
        return RegistrationClosed(_("This course takes applications: apply from its page."))
    state = course.registration_state(now)
    if state == RegistrationState.UNPUBLISHED:
        return RegistrationClosed()
    if state == RegistrationState.PAST:
        return RegistrationClosed(_("This course has already taken place."))
    if state == RegistrationState.DEADLINE_PASSED and not (is_staff(by) or via_application):
        return DeadlinePassed()
    return None
