"""Register, and every other seat decision: the waiting list, promotion and approval.

A course's seats are contended by many people at once, so each seat decision holds the course's lock
exclusively (``academy.core.locking.lock_course``; pretix's approach; Indico's check-then-insert without
a lock can overbook) and re-counts confirmed seats inside the same transaction; the partial unique
constraint on (course, person) for active statuses is the last line against duplicates (double clicks,
two tabs).

The critical section is kept short: eligibility, permissions and deadline are checked before the lock;
under it only the count, the insert, the history row and the outbox row are written. The e-mail itself
is written later by the worker that delivers it (``invitations.send_invitation``).
"""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.core.locking import LockTimeout, lock_course, lock_waits_time_out
from academy.core.permissions import is_staff
from academy.core.users import acting_user
from academy.courses.models import CoursePage
from academy.network.models import Person

from .errors import AlreadyRegistered, Busy, CourseFull, NotAllowed, RegistrationError
from .invitations import send_invitation
from .models import Registration, RegistrationEvent
from .reads import canonical, confirmed_count, registration_blocker, seat_counts

Status = Registration.Status
Action = RegistrationEvent.Action
Mode = CoursePage.RegistrationMode


def log(registration: Registration, action: str, by=None, note: str = "") -> None:
    RegistrationEvent.objects.create(registration=registration, action=action, by=acting_user(by),
                                     note=note[:300])


def locked(course_id: int) -> None:
    """Take the course lock (see ``academy.core.locking``), telling the person to retry on a pile-up."""
    try:
        lock_course(course_id)
    except LockTimeout as exc:
        raise Busy() from exc


@contextlib.contextmanager
def busy_on_lock_wait():
    """A lock wait that runs out later in the locked transaction is the same "busy" (see ``locking``)."""
    try:
        with lock_waits_time_out():
            yield
    except LockTimeout as exc:
        raise Busy() from exc


def register(person: Person, course: CoursePage, *, by=None, consent_version: str | None = None,
             via_application: bool = False, now: datetime.datetime | None = None) -> Registration:
    """Register ``person`` for ``course`` (its canonical page).

    OPEN: confirmed while seats last, then the waiting list. APPROVAL: pending until staff approve.
    APPLICATION: only through an accepted application (``via_application=True``). ``by`` is the acting
    user: the person themselves, staff, or an HR officer registering their own staff. Consent to the
    privacy notice is recorded with its version and time. Raises a ``RegistrationError``.
    """
    course = canonical(course)
    now = now or timezone.now()
    blocker = registration_blocker(person, course, by=by, via_application=via_application, now=now)
    if blocker is not None:
        raise blocker
    approval = course.registration_mode == Mode.APPROVAL and not via_application
    schedule_sequence = course.schedule_sequence  # for the outbox key; the register read loaded it
    # Inside a caller's transaction (e.g. an application decision) a savepoint keeps it usable after a
    # duplicate; on its own, a duplicate simply aborts our short transaction.
    guard = transaction.atomic if connection.in_atomic_block else contextlib.nullcontext
    with busy_on_lock_wait(), transaction.atomic():
        locked(course.pk)
        confirmed, waiting = seat_counts(course.pk)  # after the lock: what the previous holder committed
        status = _decide(course, approval, confirmed, waiting)
        try:
            with guard():
                registration = Registration.objects.create(
                    course=course, person=person, status=status, registered_by=acting_user(by),
                    consent_version=(consent_version if consent_version is not None
                                     else settings.ACADEMY["PRIVACY_NOTICE_VERSION"]),
                    consent_at=now,
                )
        except IntegrityError as exc:  # the partial unique constraint: already actively registered
            raise AlreadyRegistered() from exc
        registration.course, registration.person = course, person
        log(registration, _ACTION[status], by, "application" if via_application else "")
        # The message is recorded here (exactly once, with the registration) and written by the worker
        # that delivers it: templates, the calendar file and Teams links stay out of the locked section.
        send_invitation(registration, _KIND[status], schedule_sequence=schedule_sequence)
    return registration


_KIND = {Status.CONFIRMED: "confirmed", Status.WAITING: "waiting", Status.PENDING: "pending"}
_ACTION = {Status.CONFIRMED: Action.REGISTERED, Status.WAITING: Action.WAITLISTED, Status.PENDING: Action.PENDING}


def _decide(course: CoursePage, approval: bool, confirmed: int, waiting: int) -> str:
    if approval:
        return Status.PENDING
    if course.capacity is None or confirmed < course.capacity:
        return Status.CONFIRMED
    return Status.WAITING


def fill_free_seats(course: CoursePage, *, by=None) -> list[Registration]:
    """Promote waiting people, first come first served, while seats are free (caller holds the lock).

    No promotion once the course has started: a seat freed at the last minute would reach nobody.
    """
    course = canonical(course)
    if course.first_starts_at and course.first_starts_at <= timezone.now():
        return []
    promoted = []
    free = None if course.capacity is None else course.capacity - confirmed_count(course)
    waiting = Registration.objects.filter(course_id=course.pk, status=Status.WAITING).select_related("person")
    for registration in waiting.order_by("created_at", "pk")[: free if free is not None else None]:
        if free is not None and free <= 0:
            break
        promoted.append(_confirm(registration, course, Action.PROMOTED, by, "promoted"))
        if free is not None:
            free -= 1
    return promoted


def _confirm(registration: Registration, course: CoursePage, action: str, by, kind: str) -> Registration:
    registration.status = Status.CONFIRMED
    registration.save(update_fields=["status", "updated_at"])
    registration.course = course
    log(registration, action, by)
    send_invitation(registration, kind)
    return registration


def _locked_registration(registration: Registration) -> Registration:
    locked(registration.course_id)
    return Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)


def promote(registration: Registration, by=None, *, force: bool = False) -> Registration:
    """Move a waiting (or pending) registration to confirmed. Staff may ``force`` an extra seat."""
    if by is not None and not is_staff(by):
        raise NotAllowed()
    with busy_on_lock_wait(), transaction.atomic():
        registration = _locked_registration(registration)
        if registration.status not in (Status.WAITING, Status.PENDING):
            raise RegistrationError(_("Only registrations on the waiting list can be promoted."))
        course = canonical(registration.course)
        if not force and course.capacity is not None and confirmed_count(course) >= course.capacity:
            raise CourseFull()
        return _confirm(registration, course, Action.PROMOTED, by, "promoted")


def approve(registration: Registration, by) -> Registration:
    """Staff approve a pending registration: confirmed if a seat is free, else the waiting list."""
    if not is_staff(by):
        raise NotAllowed()
    with busy_on_lock_wait(), transaction.atomic():
        registration = _locked_registration(registration)
        if registration.status != Status.PENDING:
            raise RegistrationError(_("Only registrations awaiting approval can be approved."))
        course = canonical(registration.course)
        if course.capacity is None or confirmed_count(course) < course.capacity:
            return _confirm(registration, course, Action.APPROVED, by, "confirmed")
        registration.status = Status.WAITING
        registration.save(update_fields=["status", "updated_at"])
        registration.course = course
        log(registration, Action.APPROVED, by, "waiting list")
        send_invitation(registration, "waiting")
        return registration
