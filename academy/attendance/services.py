"""Attendance rules: the one writer, the one way of combining sources, check-in and corrections.

* ``record_minutes`` is an upsert per (session, person, source): a source reports the *whole* time a
  person spent at a session, so a later report from the same source replaces the earlier figure rather
  than adding to it (a re-imported Teams report must never double anyone's minutes).
* ``combine`` is THE rule for several sources at one session: a staff correction wins; otherwise the
  larger of the Teams report and the check-in (they measure the same presence, so adding them would
  count a hybrid participant twice). ``minutes_for`` and ``attended_minutes`` apply it; the
  certificate rule, the HR attendance register and the check-in page all call them.
* Check-in (in person) records the session's planned minutes for a person with a confirmed
  registration; it is done by the course's trainers or staff, by name or with the personal check-in
  token shown as a QR code in My Academy (``checkin_token``, signed with Django's signing so nobody
  can forge another person's code).
  Check-in also opens a join/leave interval (``AttendanceInterval``) at the time of the check-in;
  ``check_out`` closes it, and from then on the check-in minutes are those the intervals give
  (``academy.attendance.intervals``, the one rule from intervals to minutes).
* ``correct`` is staff-only, needs a reason, and leaves an ``AttendanceChange`` in the audit trail.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff
from academy.courses.models import CoursePage, Session
from academy.courses.permissions import may_run_course
from academy.network.models import Person
from academy.registrations.models import Registration

from . import intervals

# The one writer and reader of intervals, re-exported so that callers keep one entry point.
from .intervals import add_intervals as add_intervals
from .intervals import intervals_by_person as intervals_by_person
from .intervals import minutes_from_intervals as minutes_from_intervals
from .intervals import replace_intervals as replace_intervals
from .intervals import replace_session_intervals as replace_session_intervals
from .intervals import session_minutes
from .models import AttendanceChange, AttendanceRecord

CHECKIN_SALT = "academy.attendance.checkin"


class AttendanceError(Exception):
    """A check-in or correction that the rules refuse; ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def record_minutes(session, person, minutes: int, source: str, *, by=None, reason: str = "") -> AttendanceRecord:
    """Store ``minutes`` of ``person`` at ``session`` from ``source`` (teams/checkin/correction)."""
    if source not in AttendanceRecord.Source.values:
        raise ValueError(f"unknown attendance source {source!r}")
    if minutes < 0:
        raise ValueError("minutes cannot be negative")
    recorded_by = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    with transaction.atomic():
        record, _created = AttendanceRecord.objects.update_or_create(
            session=session, person=person, source=source,
            defaults={"minutes": int(minutes), "recorded_by": recorded_by, "reason": reason[:300]},
        )
    return record


# --- combining sources ------------------------------------------------------------------------------


def combine(rows: Iterable[tuple[str, int]]) -> int:
    """Minutes of one person at one session from ``(source, minutes)`` rows: a correction wins,
    otherwise the larger figure (Teams and check-in measure the same presence)."""
    rows = list(rows)
    corrections = [m for source, m in rows if source == AttendanceRecord.Source.CORRECTION]
    if corrections:
        return corrections[-1]
    return max((m for _s, m in rows), default=0)


def minutes_for(person: Person, session: Session) -> int:
    """Minutes ``person`` attended ``session``, all sources combined."""
    return combine(AttendanceRecord.objects.filter(person=person, session=session)
                   .values_list("source", "minutes"))


def counted_sessions(course: CoursePage) -> list[Session]:
    """The sessions a course's attendance is measured on: the canonical page's, not cancelled."""
    return list(course.canonical.sessions.filter(cancelled=False).order_by("starts_at"))


def minutes_by_session(course: CoursePage, person_ids: Iterable[int] | None = None,
                       sessions: list[Session] | None = None) -> dict[int, dict[int, int]]:
    """``{person_id: {session_id: minutes}}`` over the course's counted sessions (one query)."""
    sessions = counted_sessions(course) if sessions is None else sessions
    qs = AttendanceRecord.objects.filter(session__in=sessions)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    rows: dict[int, dict[int, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for person_id, session_id, source, minutes in qs.order_by("pk").values_list(
            "person_id", "session_id", "source", "minutes"):
        rows[person_id][session_id].append((source, minutes))
    return {pid: {sid: combine(r) for sid, r in per.items()} for pid, per in rows.items()}


def attended_minutes(course: CoursePage, person_ids: Iterable[int] | None = None) -> dict[int, int]:
    """``{person_id: minutes}`` summed over all the course's counted sessions (every session of a
    masterclass counts together). People with no attendance are absent from the result."""
    return {pid: sum(per.values()) for pid, per in minutes_by_session(course, person_ids).items()}


# --- who may check people in ------------------------------------------------------------------------


def may_check_in(user, course: CoursePage) -> bool:
    """Staff, or a trainer listed on the course's canonical page (``academy.courses.permissions``)."""
    return may_run_course(user, course)


# --- check-in tokens --------------------------------------------------------------------------------


def checkin_token(registration: Registration) -> str:
    """Signed ``person:registration`` token for the personal check-in QR code (URL-safe)."""
    return signing.Signer(salt=CHECKIN_SALT).sign(f"{registration.person_id}.{registration.pk}")


def parse_checkin_token(token: str) -> tuple[int, int]:
    """``(person_id, registration_id)`` of a token; raises ``AttendanceError`` if forged or garbled."""
    try:
        value = signing.Signer(salt=CHECKIN_SALT).unsign(token.strip())
        person_id, registration_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError) as exc:
        raise AttendanceError(_("This check-in code is not valid.")) from exc
    return person_id, registration_id


def token_from_scan(text: str) -> str:
    """The token from what a scanner typed: the bare token or the whole check-in URL."""
    text = (text or "").strip()
    if "/checkin/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    return text


def current_session(course: CoursePage, now: datetime.datetime | None = None) -> Session | None:
    """The session a scanned code checks into: today's session (Europe/Rome) nearest to now."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    todays = [s for s in counted_sessions(course) if timezone.localtime(s.starts_at).date() == today]
    if not todays:
        return None

    def distance(s: Session) -> float:
        if s.starts_at <= now <= s.ends_at:
            return 0
        return min(abs((s.starts_at - now).total_seconds()), abs((s.ends_at - now).total_seconds()))

    return min(todays, key=distance)


# --- check-in and corrections -----------------------------------------------------------------------


def confirmed_registration(course: CoursePage, person: Person) -> Registration | None:
    return Registration.objects.confirmed().filter(course=course.canonical, person=person).first()


def checkin_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    """When check-in for ``session`` is accepted: from ``CHECKIN_OPENS_MINUTES_BEFORE`` its start to
    ``CHECKIN_CLOSES_MINUTES_AFTER`` its end (settings), so nobody is credited days ahead."""
    before = datetime.timedelta(minutes=settings.CHECKIN_OPENS_MINUTES_BEFORE)
    after = datetime.timedelta(minutes=settings.CHECKIN_CLOSES_MINUTES_AFTER)
    return session.starts_at - before, session.ends_at + after


def checkin_phase(session: Session, now: datetime.datetime | None = None) -> str:
    """``"early"``, ``"open"`` or ``"closed"``: where ``now`` falls against ``checkin_window``, so that the
    check-in page shows what ``check_in`` would accept."""
    opens, closes = checkin_window(session)
    now = now or timezone.now()
    return "early" if now < opens else "closed" if now > closes else "open"


def check_in(session: Session, person: Person, *, by, now: datetime.datetime | None = None) -> AttendanceRecord:
    """Record ``person`` present for the whole of ``session`` (its planned minutes, source check-in).

    Only for a confirmed registrant (attendance of people who are not registered would not count
    towards a certificate anyway, and the list must match the registrations), only by the course's
    trainers or staff, never on a cancelled session. Idempotent: checking in twice changes nothing.
    """
    course = session.course.canonical
    if not may_check_in(by, course):
        raise AttendanceError(_("You may not check people in for this course."))
    if session.cancelled:
        raise AttendanceError(_("This session is cancelled."))
    opens, closes = checkin_window(session)
    if not opens <= (now or timezone.now()) <= closes:
        raise AttendanceError(_("Check-in for this session is open from %(opens)s to %(closes)s.") % {
            "opens": formats.date_format(timezone.localtime(opens), "j F Y, H:i"),
            "closes": formats.date_format(timezone.localtime(closes), "H:i")})
    if confirmed_registration(course, person) is None:
        raise AttendanceError(_("%(person)s has no confirmed registration for this course.")
                              % {"person": person.full_name})
    now = now or timezone.now()
    with transaction.atomic():
        intervals.open_interval(session, person, AttendanceRecord.Source.CHECKIN, now, by=by)
        return record_minutes(session, person, session.planned_minutes, AttendanceRecord.Source.CHECKIN, by=by)


def check_out(session: Session, person: Person, *, by, now: datetime.datetime | None = None) -> AttendanceRecord:
    """Close the open check-in interval of ``person`` at ``session`` (the time they left the room)
    and record the check-in minutes the intervals give (a check-in, a check-out after a break and a
    second check-in count as two intervals). By the course's trainers or staff, inside the check-in
    window; refused when the person is not checked in."""
    course = session.course.canonical
    if not may_check_in(by, course):
        raise AttendanceError(_("You may not check people in for this course."))
    now = now or timezone.now()
    opens, closes = checkin_window(session)
    if not opens <= now <= closes:
        raise AttendanceError(_("Check-out for this session is open until %(closes)s.") % {
            "closes": formats.date_format(timezone.localtime(closes), "j F Y, H:i")})
    with transaction.atomic():
        spans = intervals.close_open_intervals(session, person, AttendanceRecord.Source.CHECKIN, now)
        if spans is None:
            raise AttendanceError(_("%(person)s is not checked in.") % {"person": person.full_name})
        minutes = session_minutes(session, spans, now=now)
        return record_minutes(session, person, minutes, AttendanceRecord.Source.CHECKIN, by=by)


def check_in_with_token(token: str, *, by, session: Session | None = None) -> AttendanceRecord:
    """Check in the holder of a personal token, at ``session`` or the course's session of today."""
    person_id, registration_id = parse_checkin_token(token_from_scan(token))
    registration = (Registration.objects.select_related("person", "course")
                    .filter(pk=registration_id, person_id=person_id).first())
    if registration is None:
        raise AttendanceError(_("This check-in code is not valid."))
    course = registration.course.canonical
    if session is None:
        if not may_check_in(by, course):
            raise AttendanceError(_("You may not check people in for this course."))
        session = current_session(course)
        if session is None:
            raise AttendanceError(_("There is no session of this course today."))
    elif session.course.canonical.pk != course.pk:
        raise AttendanceError(_("%(person)s is registered for another course.")
                              % {"person": registration.person.full_name})
    return check_in(session, registration.person, by=by)


def correct(session: Session, person: Person, minutes: int, *, by, reason: str) -> AttendanceRecord:
    """Staff set the minutes of ``person`` at ``session``; the correction wins over every other
    source. A reason is mandatory and the change (old → new combined minutes) goes in the audit trail."""
    if not is_staff(by):
        raise AttendanceError(_("Only staff may correct attendance."))
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_("A reason is required for a correction."))
    if minutes < 0 or minutes > session.planned_minutes * 2:
        raise AttendanceError(_("Minutes must be between 0 and %(max)s.") % {"max": session.planned_minutes * 2})
    with transaction.atomic():
        old = minutes_for(person, session)
        record = record_minutes(session, person, minutes, AttendanceRecord.Source.CORRECTION, by=by,
                                reason=reason)
        AttendanceChange.objects.create(record=record, session=session, person=person, old_minutes=old,
                                        new_minutes=minutes, reason=reason[:300], by=by)
    return record
