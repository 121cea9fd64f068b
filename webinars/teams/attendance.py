"""Attendance import from Teams' reports, matching attendees to registrants, and the unmatched
entries staff resolve."""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from academy.attendance.models import AttendanceRecord, RawAttendanceReport
from academy.attendance.services import (
    add_intervals,
    record_minutes,
    replace_session_intervals,
    session_minutes,
)
from academy.core.permissions import is_staff
from academy.courses.models import Session
from academy.network.models import Person

from ..backends import TeamsBackend, get_backend
from ..graph import GraphError, GraphNotFound
from ..models import AttendanceStatus, EmailAlias, TeamsIdentity, TeamsMeeting, UnmatchedAttendance
from .operations import (
    ATTENDANCE_DELAY,
    Op,
    TeamsError,
    current_time,
    error_text,
    finish,
    identity_down,
)

logger = logging.getLogger(__name__)

#: A session whose report is still missing or empty is asked again at most every ``ATTENDANCE_RETRY``,
#: and no more ``ATTENDANCE_GIVE_UP`` after it ended: the meeting is then marked "no report in Teams"
#: for staff, who can still import by hand (Teams publishes a report minutes after the meeting ends).
ATTENDANCE_RETRY = datetime.timedelta(hours=1)
ATTENDANCE_GIVE_UP = datetime.timedelta(hours=24)


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


def _parse_time(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def record_spans(record: dict[str, Any]) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The join/leave intervals of one Graph ``attendanceRecord`` (``attendanceIntervals``). Graph sets
    ``joinDateTime``/``leaveDateTime`` to null when it lacks data: such intervals are skipped."""
    spans = []
    for interval in record.get("attendanceIntervals") or []:
        if not isinstance(interval, dict):
            continue
        joined, left = _parse_time(interval.get("joinDateTime")), _parse_time(interval.get("leaveDateTime"))
        if joined is not None and left is not None and left >= joined:
            spans.append((joined, left))
    return spans


def _fetch_reports(backend: TeamsBackend, meeting_id: str) -> list[dict[str, Any]]:
    """Reports with their records; a backend without ``attendance_reports`` gives one unnamed report."""
    if hasattr(backend, "attendance_reports"):
        return backend.attendance_reports(meeting_id)
    _count, records = backend.attendance(meeting_id)
    return [{"id": "", "attendanceRecords": records}]


def import_attendance(session: Session, *, backend: TeamsBackend | None = None) -> ImportResult:
    """Read every attendance report of the session's meeting; archive it; store intervals and minutes.

    Each report is archived as imported (``RawAttendanceReport``: Teams deletes reports after about a
    year). Each record's ``attendanceIntervals`` become the person's Teams intervals, and the minutes
    are those intervals through THE rule (``academy.attendance.intervals``: clipped to the session,
    overlaps counted once); a record without intervals counts its ``totalAttendanceInSeconds``.
    Attendees are grouped per e-mail across reports (someone who dropped and re-joined, or a meeting
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
        reports = _fetch_reports(backend, meeting.meeting_id)
    except GraphNotFound as exc:
        # The meeting was deleted in Teams, and its reports with it: asking again cannot help.
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        _mark(meeting, AttendanceStatus.UNAVAILABLE)
        raise
    except GraphError as exc:
        finish(op, ok=False, http_status=exc.status, error=error_text(exc))
        raise
    records = [r for report in reports for r in (report.get("attendanceRecords") or []) if isinstance(r, dict)]
    report_count = len(reports)
    # Group per attendee across reports. An Entra id seen anywhere with an address joins that address's
    # group, whatever the order of the records (Teams often gives a guest's other records no address).
    address_of: dict[str, str] = {}
    for record in records:
        email, _name = _attendee_key(record)
        identity = record.get("identity") if isinstance(record.get("identity"), dict) else {}
        if email and identity.get("id"):
            address_of.setdefault(str(identity["id"]), email)
    totals: dict[str, dict[str, Any]] = {}
    for record in records:
        if str(record.get("role") or "").lower() == "organizer":
            continue  # the service account that owns the meeting
        email, name = _attendee_key(record)
        # Without an e-mail, the Entra user id (or, for an anonymous guest, the record itself) tells
        # people apart: two anonymous attendees are two people, never one merged by a shared name.
        identity = record.get("identity") if isinstance(record.get("identity"), dict) else {}
        email = email or address_of.get(str(identity.get("id") or ""), "")
        if email:
            key = email
        elif identity.get("id"):
            key = f"user:{identity['id']}"
        else:
            key = f"record:{record.get('id')}"
        entry = totals.setdefault(key, {"email": email, "name": name, "seconds": 0, "spans": [],
                                        "user_id": str(identity.get("id") or "")[:64]})
        spans = record_spans(record)
        if spans:
            entry["spans"].extend(spans)
        else:
            entry["seconds"] += max(0, int(record.get("totalAttendanceInSeconds") or 0))
        entry["name"] = entry["name"] or name
    summary = f"{report_count} reports, {len(records)} records"
    if not totals:
        finish(op, ok=True, http_status=200, response_id=summary)
        gave_up = current_time() >= session.ends_at + ATTENDANCE_GIVE_UP
        _mark(meeting, AttendanceStatus.UNAVAILABLE if gave_up else AttendanceStatus.WAITING)
        return ImportResult(0, 0, 0, report_count, len(records))

    def minutes_of(entry: dict[str, Any]) -> int:
        # A record without intervals counts its total, which cannot exceed the session itself.
        return min(session.planned_minutes, session_minutes(session, entry["spans"]) + entry["seconds"] // 60)

    registrant_people = Person.objects.filter(registrations__course_id=session.course_id).distinct()
    by_email = {p.email.strip().lower(): p for p in registrant_people if p.email}
    emails = [t["email"] for t in totals.values() if t["email"]]
    aliases = {a.email: a.person for a in EmailAlias.objects.filter(email__in=emails).select_related("person")}
    user_ids = [t["user_id"] for t in totals.values() if t["user_id"]]
    identities = {i.user_id: i.person for i in TeamsIdentity.objects.filter(user_id__in=user_ids)
                  .select_related("person")}
    learnt: list[TeamsIdentity] = []
    entries_by_person: dict[int, list[dict[str, Any]]] = {}
    people: dict[int, Person] = {}
    unmatched: list[UnmatchedAttendance] = []
    matched = 0
    for entry in totals.values():
        person = (by_email.get(entry["email"]) or aliases.get(entry["email"])) if entry["email"] else None
        if person is None and entry["user_id"]:
            person = identities.get(entry["user_id"])
        elif person is not None and entry["user_id"] and entry["user_id"] not in identities:
            identities[entry["user_id"]] = person  # learnt: the id alone finds them next time
            learnt.append(TeamsIdentity(user_id=entry["user_id"], person=person))
        if person is None:
            unmatched.append(UnmatchedAttendance(session=session, email=entry["email"][:320],
                                                 display_name=entry["name"][:300], user_id=entry["user_id"],
                                                 minutes=minutes_of(entry)))
            continue
        matched += 1
        people[person.pk] = person
        entries_by_person.setdefault(person.pk, []).append(entry)

    with transaction.atomic():
        RawAttendanceReport.objects.bulk_create([
            RawAttendanceReport(session=session, report_id=str(report.get("id") or "")[:200], payload=report)
            for report in reports])
        previous = AttendanceRecord.objects.filter(session=session, source=AttendanceRecord.Source.TEAMS)
        replaced = previous.count()
        previous.exclude(person_id__in=list(people)).delete()
        spans_by_person = {}
        for person_id, entries in entries_by_person.items():
            merged = {"spans": [s for e in entries for s in e["spans"]],
                      "seconds": sum(e["seconds"] for e in entries)}
            spans_by_person[person_id] = merged["spans"]
            record_minutes(session, people[person_id], minutes_of(merged), AttendanceRecord.Source.TEAMS)
        replace_session_intervals(session, AttendanceRecord.Source.TEAMS, spans_by_person)
        UnmatchedAttendance.objects.filter(session=session, resolved_at__isnull=True).delete()
        UnmatchedAttendance.objects.bulk_create(unmatched)
        TeamsIdentity.objects.bulk_create(learnt, ignore_conflicts=True)
        meeting.attendance_imported_at = current_time()
        meeting.save(update_fields=["attendance_imported_at", "updated_at"])
        _mark(meeting, AttendanceStatus.IMPORTED)
        finish(op, ok=True, http_status=200, response_id=summary)
    return ImportResult(matched, len(unmatched), replaced, report_count, len(records))


def _mark(meeting: TeamsMeeting, status: str) -> None:
    TeamsMeeting.objects.filter(pk=meeting.pk).update(attendance_status=status, attendance_checked_at=current_time())


def archived_spans(session_id: int, email: str) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The intervals the latest archived import of a session gave for ``email`` (case-insensitive)."""
    latest = RawAttendanceReport.objects.filter(session_id=session_id).order_by("-imported_at", "-pk").first()
    if latest is None:
        return []
    batch = RawAttendanceReport.objects.filter(session_id=session_id, imported_at=latest.imported_at)
    email = email.strip().lower()
    return [span for raw in batch for record in (raw.payload.get("attendanceRecords") or [])
            if isinstance(record, dict) and _attendee_key(record)[0] == email for span in record_spans(record)]


def sessions_due_for_import(now: datetime.datetime | None = None):
    """Sessions with a meeting that ended ``ATTENDANCE_DELAY`` ago, still waiting for their report and
    not asked within ``ATTENDANCE_RETRY``."""
    now = now or current_time()
    return Session.objects.filter(
        teams_meeting__isnull=False, teams_meeting__attendance_status=AttendanceStatus.WAITING,
        ends_at__lte=now - ATTENDANCE_DELAY, cancelled=False,
    ).filter(models.Q(teams_meeting__attendance_checked_at__isnull=True)
             | models.Q(teams_meeting__attendance_checked_at__lte=now - ATTENDANCE_RETRY)).order_by("ends_at", "pk")


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
            if identity_down(exc):
                break  # nothing else can work in this pass
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
        if unmatched.user_id:
            identity, _created = TeamsIdentity.objects.get_or_create(user_id=unmatched.user_id,
                                                                     defaults={"person": person})
            if identity.person_id != person.pk:
                raise TeamsError("This Teams account is already linked to someone else.")
        existing = AttendanceRecord.objects.filter(session_id=unmatched.session_id, person=person,
                                                   source=AttendanceRecord.Source.TEAMS).first()
        minutes = unmatched.minutes + (existing.minutes if existing else 0)
        record = record_minutes(unmatched.session, person, minutes, AttendanceRecord.Source.TEAMS, by=by,
                                reason=f"Teams attendance of {unmatched.email or unmatched.display_name}")
        if unmatched.email:  # the register needs their login and logout times too
            add_intervals(unmatched.session_id, person, AttendanceRecord.Source.TEAMS,
                          archived_spans(unmatched.session_id, unmatched.email), by=by)
        unmatched.resolved_person = person
        unmatched.resolved_by = by
        unmatched.resolved_at = current_time()
        unmatched.save(update_fields=["resolved_person", "resolved_by", "resolved_at"])
    return record

