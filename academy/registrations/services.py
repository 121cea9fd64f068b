"""The one registration service: register, cancel, promote, approve, reminders and retention.

Pages, the Wagtail admin, management commands, tasks and masterclass applications all call these
functions; nothing else changes a registration's status.

Why a lock, and which one
-------------------------
A course's seats are a scarce resource contended by many people at once (a popular webinar opens and
hundreds register in the same minute). Indico checks "confirmed < capacity" and then inserts without
a lock: two requests can both see the last free seat and both confirm, overbooking the course. pretix
instead takes a PostgreSQL *advisory transaction lock* per quota with a short ``lock_timeout`` and
re-counts inside the same transaction; we do the same, per course:

* ``pg_advisory_xact_lock(namespace, course_id)`` serialises only the registrations *of that course*
  (other courses proceed in parallel) without locking any row readers need, and is released
  automatically at commit or rollback — no stale locks after a crash;
* ``SET LOCAL lock_timeout = '5s'`` turns a pile-up into a quick, explainable "try again" instead of
  requests hanging until the proxy times out;
* inside the lock we re-count confirmed seats and insert, so the count cannot change under us (the
  lock and the count travel in one round trip as two statements: each READ COMMITTED statement takes
  its own snapshot, so the count sees what the previous holder committed — see ``_lock_and_count``);
  the partial unique constraint on (course, person) for active statuses is the last line against
  duplicates (double clicks, two tabs) even if a code path forgot the lock;
* once a course is full, joining the waiting list decides nothing about seats, so those registrations
  take the same lock in *shared* mode and proceed side by side (a rush is mostly waiting-list joins),
  while every seat decision (confirm, cancel, promote, approve) holds it exclusively and so never
  overlaps them; a joiner that finds a seat freed meanwhile queues up and hands the seat to the first
  in line.

``SELECT ... FOR UPDATE`` on the course row would also work but blocks Wagtail's page saves and
revision publishing on the same row; SERIALIZABLE isolation would work too but turns contention into
retries of the whole request. On SQLite the settings open every transaction with ``BEGIN IMMEDIATE``,
which takes the database write lock up front and serialises writers the same way.

The critical section is kept short: eligibility, permissions and deadline are checked before the lock;
under the lock only the count, the insert, the history row and the outbox row are written. The
e-mail itself (template, calendar file, personal Teams link) is written later by the worker that
delivers it (``invitations.send_invitation``), so a rush costs the database a few small statements
per person and no request waits for template rendering or for Microsoft Graph.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from academy.core.permissions import is_staff
from academy.courses.models import CoursePage, Session
from academy.courses.signals import session_cancelled, session_rescheduled
from academy.network.models import Person
from academy.network.services import eligibility, is_hr_officer_for

from .invitations import send_invitation
from .models import Registration, RegistrationEvent

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 710  # first key of pg_advisory_xact_lock(int, int): "registrations"
Status = Registration.Status
Action = RegistrationEvent.Action
Mode = CoursePage.RegistrationMode


# --- errors ---------------------------------------------------------------------------------------------


class RegistrationError(Exception):
    """A registration was refused; ``message`` is translated and meant for the person."""

    default_message = _("The registration could not be completed.")

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotEligible(RegistrationError):
    default_message = _("Training is open exclusively to members of the network.")


class DeadlinePassed(RegistrationError):
    default_message = _("The registration deadline has passed.")


class RegistrationClosed(RegistrationError):
    default_message = _("Registration for this course is closed.")


class AlreadyRegistered(RegistrationError):
    default_message = _("You are already registered for this course.")


class NotAllowed(RegistrationError):
    default_message = _("You are not allowed to do this.")


class CourseFull(RegistrationError):
    default_message = _("There is no free seat on this course.")


class Busy(RegistrationError):
    default_message = _("Many people are registering right now: please try again in a moment.")


# --- helpers --------------------------------------------------------------------------------------------


def _canonical(course) -> CoursePage:
    if not isinstance(course, CoursePage):
        course = course.specific
    return course.canonical




def _acting_user(by):
    return by if (by is not None and getattr(by, "is_authenticated", False)) else None


def _lock_course(course_id: int) -> None:
    """Serialise seat decisions for one course until the transaction ends (see module docstring)."""
    _lock_and_count(course_id, count=False)


def _lock_and_count(course_id: int, *, count: bool = True, shared: bool = False) -> tuple[int, int]:
    """Take the course lock and, if ``count``, return (confirmed, waiting) counted *after* it was granted.

    One round trip on PostgreSQL: ``SET LOCAL lock_timeout; SELECT pg_advisory_xact_lock(...); SELECT
    count...`` sent as one simple query. The statements still run one after the other, and under READ
    COMMITTED each takes its own snapshot when it starts, so the count sees every registration committed
    by the previous lock holder — the same guarantee as two separate round trips, with the lock held
    for one round trip less. (A single statement ``SELECT lock(), (SELECT count...)`` would NOT be
    safe: its snapshot predates the lock.)
    """
    if connection.vendor != "postgresql":  # SQLite: BEGIN IMMEDIATE already holds the write lock
        return _seat_counts_for(course_id) if count else (0, 0)
    lock = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    sql = f"SET LOCAL lock_timeout = '5s'; SELECT {lock}({LOCK_NAMESPACE}, {int(course_id)})"
    if count:
        sql += "; " + _SEAT_COUNT_SQL % {"course_id": int(course_id)}
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            if not count:
                return 0, 0
            while cursor.nextset():  # skip the SET and lock results to the count's
                if cursor.description and len(cursor.description) == 2:
                    confirmed, waiting = cursor.fetchone()
                    return confirmed or 0, waiting or 0
    except OperationalError as exc:  # lock_timeout
        raise Busy() from exc
    raise RuntimeError("the seat count returned no row")


def _seat_snapshot_columns(course: str) -> list[str]:
    """SQL for a course's confirmed count, waiting count and schedule SEQUENCE (the sum over its sessions,
    which grows with every change), ``course`` being the SQL of its id. Built from the models' metadata."""
    quote = connection.ops.quote_name
    reg, session = Registration._meta, Session._meta
    counts = [f"(SELECT COUNT(*) FROM {quote(reg.db_table)} WHERE {quote(reg.get_field('course').column)} = "
              f"{course} AND {quote(reg.get_field('status').column)} = '{status.value}')"
              for status in (Status.CONFIRMED, Status.WAITING)]
    sequence = (f"(SELECT COALESCE(SUM({quote(session.get_field('sequence').column)}), 0) FROM "
                f"{quote(session.db_table)} WHERE {quote(session.get_field('course').column)} = {course} "
                f"AND NOT {quote(session.get_field('cancelled').column)})")
    return [*counts, sequence]


# Plain SQL (constants only, the id is an int): the count runs twice per registration, once under the
# lock, where the ORM's query compilation would be lock-hold time.
_SEAT_COUNT_SQL = "SELECT " + ", ".join(_seat_snapshot_columns("%(course_id)d")[:2])
_GUESS_SQL = "SELECT " + ", ".join(_seat_snapshot_columns("%(course_id)d"))


def _seat_counts_for(course_id: int) -> tuple[int, int]:
    """(confirmed, waiting) in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_SEAT_COUNT_SQL % {"course_id": int(course_id)})
        confirmed, waiting = cursor.fetchone()
    return confirmed or 0, waiting or 0


# What ``register`` reads from a course: who may register and whether a seat is free (the e-mail is
# written later, by the worker that sends it), and the URL to send a browser back to.
REGISTER_FIELDS = ("live", "locale", "translation_key", "url_path", "capacity", "registration_mode",
                   "registration_deadline", "first_starts_at", "last_ends_at")
SNAPSHOT_NAMES = ("seats_confirmed", "seats_waiting", "schedule_sequence")


@functools.cache
def _registrable_course_sql() -> str:
    """``SELECT`` of ``REGISTER_FIELDS`` and the page's language by primary key, built from the models'
    metadata (tables and columns are never spelled out here)."""
    quote = connection.ops.quote_name
    page, locale = CoursePage._meta.get_field("page_ptr").related_model._meta, Locale._meta
    course = CoursePage._meta
    fields = [course.get_field(name) for name in REGISTER_FIELDS]
    columns = [f"{quote(page.db_table)}.{quote(page.pk.column)}",
               f"{quote(course.db_table)}.{quote(course.pk.column)}"]
    columns += [f"{quote(f.model._meta.db_table)}.{quote(f.column)}" for f in fields]
    columns.append(f"{quote(locale.db_table)}.{quote(locale.get_field('language_code').column)} AS language")
    # The seat counts and the schedule's SEQUENCE that ``register`` guesses its lock mode from.
    snapshot = _seat_snapshot_columns(f"{quote(course.db_table)}.{quote(course.pk.column)}")
    columns += [f"{sql} AS {name}" for sql, name in zip(snapshot, SNAPSHOT_NAMES, strict=True)]
    return (f"SELECT {', '.join(columns)} FROM {quote(course.db_table)} "
            f"JOIN {quote(page.db_table)} ON {quote(page.db_table)}.{quote(page.pk.column)} = "
            f"{quote(course.db_table)}.{quote(course.pk.column)} "
            f"JOIN {quote(locale.db_table)} ON {quote(locale.db_table)}.{quote(locale.pk.column)} = "
            f"{quote(page.db_table)}.{quote(page.get_field('locale').column)} "
            f"WHERE {quote(course.db_table)}.{quote(course.pk.column)} = %s")


def registrable_course(course_id: int) -> CoursePage:
    """The canonical (default-locale) course named by any of its translations' ids, with what
    ``register`` reads. Raises ``CoursePage.DoesNotExist``.

    This is the first read of the endpoint hundreds of people hit in the same minute when a popular
    course opens, so it is one statement built once from the models' metadata and run through
    ``raw()`` (PostgreSQL keeps its plan per connection): a Wagtail page is a wide row over two tables,
    and compiling the equivalent queryset on every request cost more CPU than running it. Other fields
    load on access (one query each). A translation's id costs one more query, for its canonical page.
    The same statement reads the seat counts ``register`` guesses its lock mode from
    (``seat_snapshot``), saving it a round trip.
    """
    rows = list(CoursePage.objects.raw(_registrable_course_sql(), [int(course_id)]))
    if not rows:
        raise CoursePage.DoesNotExist(f"no course {course_id}")
    course = rows[0]
    if course.language != settings.LANGUAGE_CODE:
        return course.canonical
    course.__dict__["canonical"] = course  # prime the cached_property
    course.seat_snapshot = tuple(getattr(course, name) for name in SNAPSHOT_NAMES)
    return course


def _log(registration: Registration, action: str, by=None, note: str = "") -> None:
    RegistrationEvent.objects.create(registration=registration, action=action, by=_acting_user(by),
                                     note=note[:300])


def confirmed_count(course: CoursePage) -> int:
    return Registration.objects.filter(course_id=course.pk, status=Status.CONFIRMED).count()


def free_seats(course: CoursePage) -> int | None:
    """Seats left (None: unlimited)."""
    course = _canonical(course)
    if course.capacity is None:
        return None
    return max(course.capacity - confirmed_count(course), 0)


def counts(course: CoursePage) -> dict[str, int]:
    """Registrations per status for a course (confirmed / waiting / pending / cancelled)."""
    course = _canonical(course)
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


def active_registration(person: Person | None, course: CoursePage) -> Registration | None:
    if person is None:
        return None
    return Registration.objects.filter(person=person, course_id=_canonical(course).pk,
                                       status__in=Registration.ACTIVE_STATUSES).first()


def may_register_for(user, person: Person) -> bool:
    """Oneself, staff, or an HR officer of the person's organisation (or of its consortium)."""
    if user is None:
        return True  # the system itself (commands, tasks, applications)
    if not getattr(user, "is_authenticated", False):
        return False
    return person.user_id == user.pk or is_staff(user) or is_hr_officer_for(user, person)


def registration_blocker(person: Person | None, course: CoursePage, *, by=None, via_application: bool = False,
                         now: datetime.datetime | None = None) -> RegistrationError | None:
    """Why ``person`` cannot register now (None if they can); used by ``register`` and the course page."""
    course = _canonical(course)
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
    if not course.live:
        return RegistrationClosed()
    if course.last_ends_at and course.last_ends_at <= now:
        return RegistrationClosed(_("This course has already taken place."))
    staff = is_staff(by)
    if course.registration_deadline and now > course.registration_deadline and not (staff or via_application):
        return DeadlinePassed()
    return None


# --- register ---------------------------------------------------------------------------------------------


def register(person: Person, course: CoursePage, *, by=None, consent_version: str | None = None,
             via_application: bool = False, now: datetime.datetime | None = None) -> Registration:
    """Register ``person`` for ``course`` (its canonical page).

    OPEN: confirmed while seats last, then the waiting list. APPROVAL: pending until staff approve.
    APPLICATION: only through an accepted application (``via_application=True``). ``by`` is the acting
    user: the person themselves, staff, or an HR officer registering their own staff. Consent to the
    privacy notice is recorded with its version and time. Raises a ``RegistrationError``.
    """
    course = _canonical(course)
    now = now or timezone.now()
    blocker = registration_blocker(person, course, by=by, via_application=via_application, now=now)
    if blocker is not None:
        raise blocker
    approval = course.registration_mode == Mode.APPROVAL and not via_application
    # Once a course is full, joining its waiting list decides nothing about seats: those registrations
    # take the course lock in SHARED mode and run side by side, while every seat decision (confirm,
    # cancel, promote, approve) takes it exclusively and so never overlaps them. Which mode to take is
    # guessed from a count before the lock; a shared holder never confirms: if a seat was freed
    # meanwhile it joins the queue and hands the seat on (below). The same query reads the schedule's
    # calendar SEQUENCE for the e-mail's outbox key.
    confirmed, waiting, schedule_sequence = getattr(course, "seat_snapshot", None) or seat_snapshot(course.pk)
    guess = _decide(course, approval, confirmed, waiting)
    shared = guess == Status.WAITING and connection.vendor == "postgresql"
    # Inside a caller's transaction (e.g. an application decision) a savepoint keeps it usable after a
    # duplicate; on its own, a duplicate simply aborts our short transaction (two round trips saved).
    guard = transaction.atomic if connection.in_atomic_block else contextlib.nullcontext
    seat_freed = False
    with transaction.atomic():
        confirmed, waiting = _lock_and_count(course.pk, shared=shared)
        status = _decide(course, approval, confirmed, waiting)
        if shared and status != Status.WAITING:
            status, seat_freed = Status.WAITING, True
        try:
            with guard():
                registration = Registration.objects.create(
                    course=course, person=person, status=status, registered_by=_acting_user(by),
                    consent_version=(consent_version if consent_version is not None
                                     else settings.ACADEMY["PRIVACY_NOTICE_VERSION"]),
                    consent_at=now,
                )
        except IntegrityError as exc:  # the partial unique constraint: already actively registered
            raise AlreadyRegistered() from exc
        registration.course, registration.person = course, person
        _log(registration, _ACTION[status], by, "application" if via_application else "")
        # The message is recorded here (exactly once, with the registration) and written by the worker
        # that delivers it: templates, the calendar file and Teams links stay out of the locked section.
        send_invitation(registration, _KIND[status], schedule_sequence=schedule_sequence)
    if seat_freed:  # a cancellation freed a seat while we joined the queue: give it to the first in line
        with transaction.atomic():
            _lock_course(course.pk)
            fill_free_seats(course)
        registration.refresh_from_db(fields=["status", "updated_at"])
    return registration

_KIND = {Status.CONFIRMED: "confirmed", Status.WAITING: "waiting", Status.PENDING: "pending"}
_ACTION = {Status.CONFIRMED: Action.REGISTERED, Status.WAITING: Action.WAITLISTED, Status.PENDING: Action.PENDING}


def seat_snapshot(course_id: int) -> tuple[int, int, int]:
    """(confirmed, waiting, the schedule's calendar SEQUENCE) of a course in one query, without the lock:
    what ``register`` guesses its lock mode from, and the SEQUENCE that e-mail keys carry."""
    with connection.cursor() as cursor:
        cursor.execute(_GUESS_SQL % {"course_id": int(course_id)})
        confirmed, waiting, sequence = cursor.fetchone()
    return confirmed or 0, waiting or 0, sequence or 0


def _decide(course: CoursePage, approval: bool, confirmed: int, waiting: int) -> str:
    if approval:
        return Status.PENDING
    if course.capacity is None or confirmed < course.capacity:
        return Status.CONFIRMED
    return Status.WAITING


# --- cancel, promote, approve ---------------------------------------------------------------------------


def may_cancel(user, registration: Registration) -> bool:
    return may_register_for(user, registration.person)


def cancel(registration: Registration, *, by=None, notify: bool = True, note: str = "") -> Registration:
    """Cancel a registration; a freed seat goes to the first person waiting, who is told.

    Idempotent: cancelling a cancelled registration changes nothing.
    """
    if not may_cancel(by, registration):
        raise NotAllowed()
    with transaction.atomic():
        _lock_course(registration.course_id)
        registration = Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return registration
        course = _canonical(registration.course)
        if course.is_past and not is_staff(by) and by is not None:
            raise RegistrationClosed(_("This course has already taken place."))
        was_confirmed = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration.course = course
        _log(registration, Action.CANCELLED, by, note)
        if notify:
            send_invitation(registration, "cancelled" if was_confirmed else "withdrawn",
                            key_suffix=str(sum(s.sequence for s in course.sessions.all()) + 1))
        if was_confirmed:
            fill_free_seats(course, by=None)
    return registration


def fill_free_seats(course: CoursePage, *, by=None) -> list[Registration]:
    """Promote waiting people, first come first served, while seats are free (caller holds the lock).

    No promotion once the course has started: a seat freed at the last minute would reach nobody.
    """
    course = _canonical(course)
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
    _log(registration, action, by)
    send_invitation(registration, kind)
    return registration


def promote(registration: Registration, by=None, *, force: bool = False) -> Registration:
    """Move a waiting (or pending) registration to confirmed. Staff may ``force`` an extra seat."""
    if by is not None and not is_staff(by):
        raise NotAllowed()
    with transaction.atomic():
        _lock_course(registration.course_id)
        registration = Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
        if registration.status not in (Status.WAITING, Status.PENDING):
            raise RegistrationError(_("Only registrations on the waiting list can be promoted."))
        course = _canonical(registration.course)
        if not force and course.capacity is not None and confirmed_count(course) >= course.capacity:
            raise CourseFull()
        return _confirm(registration, course, Action.PROMOTED, by, "promoted")


def approve(registration: Registration, by) -> Registration:
    """Staff approve a pending registration: confirmed if a seat is free, else the waiting list."""
    if not is_staff(by):
        raise NotAllowed()
    with transaction.atomic():
        _lock_course(registration.course_id)
        registration = Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
        if registration.status != Status.PENDING:
            raise RegistrationError(_("Only registrations awaiting approval can be approved."))
        course = _canonical(registration.course)
        if course.capacity is None or confirmed_count(course) < course.capacity:
            return _confirm(registration, course, Action.APPROVED, by, "confirmed")
        registration.status = Status.WAITING
        registration.save(update_fields=["status", "updated_at"])
        registration.course = course
        _log(registration, Action.APPROVED, by, "waiting list")
        send_invitation(registration, "waiting")
        return registration


# --- schedule changes -----------------------------------------------------------------------------------


def _notify_confirmed(session: Session, kind: str, action: str | None) -> int:
    """Send every confirmed registrant of ``session``'s course the ``kind`` message for that session
    (same UID, the session's new SEQUENCE); ``action`` is logged in their history when given."""
    session = Session.objects.select_related("course").get(pk=session.pk)
    course = _canonical(session.course)
    sent = 0
    with transaction.atomic():
        for registration in Registration.objects.filter(course_id=course.pk, status=Status.CONFIRMED) \
                .select_related("person"):
            registration.course = course
            send_invitation(registration, kind, sessions=[session], key_suffix=f"{session.pk}-{session.sequence}")
            if action:
                _log(registration, action, None, f"session {session.pk} seq {session.sequence}")
            sent += 1
    return sent


@receiver(session_rescheduled, dispatch_uid="registrations.session_rescheduled")
def on_session_rescheduled(sender, session: Session, **kwargs) -> int:
    """A session moved: every confirmed registrant gets the updated entry (same UID, new SEQUENCE)."""
    return _notify_confirmed(session, "updated", Action.RESCHEDULED)


@receiver(session_cancelled, dispatch_uid="registrations.session_cancelled")
def on_session_cancelled(sender, session: Session, **kwargs) -> int:
    """A session was cancelled: confirmed registrants get a METHOD:CANCEL for it."""
    return _notify_confirmed(session, "session_cancelled", None)


# --- reminders ------------------------------------------------------------------------------------------


REMINDERS = (("reminder_24h", datetime.timedelta(hours=24)), ("reminder_1h", datetime.timedelta(hours=1)))


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """Queue the 24 h and 1 h reminders that are due. Idempotent through outbox keys
    (``registration:{id}:reminder_24h:{session}-{sequence}``), so the scheduler may call it every minute
    and a moved session gets fresh reminders."""
    from academy.core.models import OutboxMessage

    now = now or timezone.now()
    queued = 0
    sessions = Session.objects.filter(cancelled=False, starts_at__gt=now,
                                      starts_at__lte=now + datetime.timedelta(hours=24)).select_related("course")
    for session in sessions:
        remaining = session.starts_at - now
        kind = "reminder_1h" if remaining <= datetime.timedelta(hours=1) else "reminder_24h"
        suffix = f"{session.pk}-{session.sequence}"
        registrations = list(Registration.objects.filter(course_id=session.course_id, status=Status.CONFIRMED)
                             .select_related("person"))
        keys = {f"registration:{r.pk}:{kind}:{suffix}": r for r in registrations}
        done = set(OutboxMessage.objects.filter(key__in=list(keys)).values_list("key", flat=True))
        course = _canonical(session.course)
        for key, registration in keys.items():
            if key in done:
                continue
            # Skip a 24 h reminder for someone who registered within the last hour: they just got the
            # confirmation; the 1 h reminder still follows.
            if kind == "reminder_24h" and registration.updated_at > now - datetime.timedelta(hours=1):
                continue
            registration.course = course
            with transaction.atomic():
                send_invitation(registration, kind, sessions=[session], key_suffix=suffix)
            queued += 1
    return queued


# --- retention ------------------------------------------------------------------------------------------


def purge_expired_personal_data(now: datetime.datetime | None = None) -> int:
    """Purge personal data tied to registrations of courses that ended more than RETENTION_DAYS ago.

    Registrations stay (counts and statistics), but who registered whom and the history notes are
    cleared; people whose only trace is such old registrations and who have no account and are not on
    a roster are anonymised. Returns the number of registrations purged.
    """
    from academy.network.privacy import anonymise_person

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACADEMY["RETENTION_DAYS"])
    expired_courses = CoursePage.objects.filter(last_ends_at__lt=cutoff).values_list("pk", flat=True)
    old = Registration.objects.filter(course_id__in=expired_courses).exclude(events__action=Action.PURGED)
    ids = list(old.values_list("pk", flat=True))
    person_ids = set(old.values_list("person_id", flat=True))
    with transaction.atomic():
        Registration.objects.filter(pk__in=ids).update(registered_by=None)
        RegistrationEvent.objects.filter(registration_id__in=ids).update(by=None, note="")
        RegistrationEvent.objects.bulk_create(
            [RegistrationEvent(registration_id=pk, action=Action.PURGED, at=now) for pk in ids])
        recent = Registration.objects.exclude(course_id__in=expired_courses).values_list("person_id", flat=True)
        for person in Person.objects.filter(pk__in=person_ids, user__isnull=True, on_roster=False,
                                            anonymised_at__isnull=True).exclude(pk__in=recent):
            anonymise_person(person, now=now)
    return len(ids)
