"""Attendance import from Teams' reports, matching attendees to registrants, and the unmatched
entries staff resolve."""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from academy.attendance.models import AttendanceRecord
from academy.attendance.services import record_minutes
from academy.core.permissions import is_staff
from academy.courses.models import Session
from academy.network.models import Person

from ..backends import TeamsBackend, get_backend
from ..graph import GraphError
from ..models import EmailAlias, TeamsMeeting, UnmatchedAttendance
from .operations import (
    ATTENDANCE_DELAY,
    Op,
    TeamsError,
    current_time,
    error_text,
    finish,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    matched: int
    unmatched: int
    replaced: int
    reports: int = 0
    records: int = 0


def _attendee_key(record: dict[str, Any]) -> tuple[str, str]:
    email = str(record.get("emailAddress") or "").strip().lower()
    identity = record.get("identity") or {}
    name = str(identity.get("displayName") or "").strip() if isinstance(identity, dict) else ""
    return email, name


def import_attendance(session: Session, *, backend: TeamsBackend | None = None) -> ImportResult:
    """Read every attendance report of the session's meeting and store minutes per registrant.

    Seconds are summed per e-mail across reports (someone who dropped and re-joined, or a meeting
    that ran twice), matched case-insensitively to the registrants' e-mails and to staff-made
    aliases, and written with source ``teams``. A re-import REPLACES the previous Teams figures
    (the report is the whole truth); if Teams returns no records at all (a report of a running
    meeting can be empty) nothing is replaced. Entries matching nobody are kept as
    :class:`UnmatchedAttendance` for staff.
    """
    session = Session.objects.select_related("course").get(pk=session.pk)
    meeting = TeamsMeeting.objects.filter(session=session).first()
    if meeting is None:
        raise TeamsError(f"Session {session.pk} has no Teams meeting to import attendance from.")
    backend = backend or get_backend()
    op = Op.objects.create(
        kind=Op.Kind.ATTENDANCE, target=meeting.meeting_id, session=session, backend=backend.name, attempts=1,
        idempotency_key=f"attendance:{meeting.external_id}:{uuid.uuid4().hex}",
    )
    try:
        report_count, records = backend.attendance(meeting.meeting_id)
    except GraphError as exc:
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        raise
    # Sum per attendee across reports.
    totals: dict[str, dict[str, Any]] = {}
    for record in records:
        if str(record.get("role") or "").lower() == "organizer":
            continue  # the service account that owns the meeting
        email, name = _attendee_key(record)
        # Without an e-mail, the Entra user id (or, for an anonymous guest, the record itself) tells
        # people apart: two anonymous attendees are two people, never one merged by a shared name.
        identity = record.get("identity") if isinstance(record.get("identity"), dict) else {}
        if email:
            key = email
        elif identity.get("id"):
            key = f"user:{identity['id']}"
        else:
            key = f"record:{record.get('id')}"
        entry = totals.setdefault(key, {"email": email, "name": name, "seconds": 0})
        entry["seconds"] += max(0, int(record.get("totalAttendanceInSeconds") or 0))
        entry["name"] = entry["name"] or name
    summary = f"{report_count} reports, {len(records)} records"
    if not totals:
        finish(op, ok=True, http_status=200, response_id=summary)
        return ImportResult(0, 0, 0, report_count, len(records))

    registrant_people = Person.objects.filter(registrations__course_id=session.course_id).distinct()
    by_email = {p.email.strip().lower(): p for p in registrant_people if p.email}
    emails = [t["email"] for t in totals.values() if t["email"]]
    aliases = {a.email: a.person for a in EmailAlias.objects.filter(email__in=emails).select_related("person")}
    seconds_by_person: dict[int, int] = {}
    people: dict[int, Person] = {}
    unmatched: list[UnmatchedAttendance] = []
    matched = 0
    for entry in totals.values():
        person = (by_email.get(entry["email"]) or aliases.get(entry["email"])) if entry["email"] else None
        if person is None:
            unmatched.append(UnmatchedAttendance(session=session, email=entry["email"][:320],
                                                 display_name=entry["name"][:300], minutes=entry["seconds"] // 60))
            continue
        matched += 1
        people[person.pk] = person
        seconds_by_person[person.pk] = seconds_by_person.get(person.pk, 0) + entry["seconds"]

    with transaction.atomic():
        previous = AttendanceRecord.objects.filter(session=session, source=AttendanceRecord.Source.TEAMS)
        replaced = previous.count()
        previous.exclude(person_id__in=list(people)).delete()
        for person_id, seconds in seconds_by_person.items():
            record_minutes(session, people[person_id], seconds // 60, AttendanceRecord.Source.TEAMS)
        UnmatchedAttendance.objects.filter(session=session, resolved_at__isnull=True).delete()
        UnmatchedAttendance.objects.bulk_create(unmatched)
        meeting.attendance_imported_at = current_time()
        meeting.save(update_fields=["attendance_imported_at", "updated_at"])
        finish(op, ok=True, http_status=200, response_id=summary)
    return ImportResult(matched, len(unmatched), replaced, report_count, len(records))


def sessions_due_for_import(now: datetime.datetime | None = None):
    """Sessions with a meeting that ended ``ATTENDANCE_DELAY`` ago and were never imported."""
    now = now or current_time()
    return Session.objects.filter(
        teams_meeting__isnull=False, teams_meeting__attendance_imported_at__isnull=True,
        ends_at__lte=now - ATTENDANCE_DELAY, cancelled=False,
    ).order_by("ends_at", "pk")


def import_due_attendance(now: datetime.datetime | None = None, *,
                          backend: TeamsBackend | None = None) -> dict[int, ImportResult | str]:
    """Import every due session; one failure does not stop the others (it stays due)."""
    outcome: dict[int, ImportResult | str] = {}
    for session in sessions_due_for_import(now):
        try:
            outcome[session.pk] = import_attendance(session, backend=backend)
        except (GraphError, TeamsError) as exc:
            logger.warning("Attendance import for session %s failed: %s", session.pk, exc)
            outcome[session.pk] = str(exc)
    return outcome


def resolve_unmatched(unmatched: UnmatchedAttendance, person: Person, by) -> AttendanceRecord:
    """Staff say who an unmatched attendee is: the e-mail becomes an alias of ``person`` (so future
    imports match it) and the minutes are added to the person's Teams record for the session."""
    if not is_staff(by):
        raise TeamsError("Only staff can resolve attendance.")
    with transaction.atomic():
        unmatched = UnmatchedAttendance.objects.select_for_update().get(pk=unmatched.pk)
        if unmatched.resolved_at is not None:
            raise TeamsError("This attendance entry has already been resolved.")
        if unmatched.email:
            alias, _created = EmailAlias.objects.get_or_create(email=unmatched.email.lower(),
                                                               defaults={"person": person, "created_by": by})
            if alias.person_id != person.pk:
                raise TeamsError(f"{unmatched.email} is already an alias of someone else.")
        existing = AttendanceRecord.objects.filter(session_id=unmatched.session_id, person=person,
                                                   source=AttendanceRecord.Source.TEAMS).first()
        minutes = unmatched.minutes + (existing.minutes if existing else 0)
        record = record_minutes(unmatched.session, person, minutes, AttendanceRecord.Source.TEAMS, by=by,
                                reason=f"Teams attendance of {unmatched.email or unmatched.display_name}")
        unmatched.resolved_person = person
        unmatched.resolved_by = by
        unmatched.resolved_at = current_time()
        unmatched.save(update_fields=["resolved_person", "resolved_by", "resolved_at"])
    return record

