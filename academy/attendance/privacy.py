"""Attendance rows are exported; they stay at erasure (the person is anonymised), because course
registers and certificates are built from them. Free text written about the person (a record's reason,
a correction's reason) loses their name, e-mail and codice fiscale; the minutes and who corrected them
stay.

Join/leave intervals stay too (they carry no identifier but the person's id). The raw Teams reports
archived at import carry e-mails and display names: at erasure the person's identifiers are redacted
from them, unless the session's course is under a legal hold (``academy.core.privacy.held_until``:
funded or mandatory training, whose course file must keep the report as imported until the hold ends).
"""

from __future__ import annotations

import json

from django.utils import timezone

from academy.core import privacy

from .models import AttendanceChange, AttendanceInterval, AttendanceRecord, RawAttendanceReport


def export_attendance(person) -> list[dict]:
    return [
        {"session": str(a.session), "minutes": a.minutes, "source": a.source}
        for a in AttendanceRecord.objects.filter(person=person).select_related("session__course")
    ]


def export_intervals(person) -> list[dict]:
    return [
        {"session": str(i.session), "source": i.source, "joined_at": timezone.localtime(i.joined_at).isoformat(),
         "left_at": timezone.localtime(i.left_at).isoformat() if i.left_at else None}
        for i in AttendanceInterval.objects.filter(person=person).select_related("session__course")
    ]


def erase_attendance_reasons(person, *, by, now) -> None:
    words = privacy.identifiers(person)
    mentioning = privacy.mentions(person)("reason")
    for model in (AttendanceRecord, AttendanceChange):
        for row in model.objects.filter(mentioning).only("pk", "reason"):
            model.objects.filter(pk=row.pk).update(reason=privacy.redact(row.reason, person, words=words))


def erase_raw_reports(person, *, by, now) -> None:
    words = [w for w in privacy.identifiers(person) if w]
    if not words:
        return
    held: dict[int, bool] = {}
    for raw in (RawAttendanceReport.objects.filter(privacy.mentions(person)("payload"))
                .select_related("session__course")):
        course = raw.session.course
        if course.pk not in held:
            held[course.pk] = privacy.held_until(course, now) is not None
        if held[course.pk]:
            continue
        text = privacy.redact(json.dumps(raw.payload, ensure_ascii=False), person, words=words)
        RawAttendanceReport.objects.filter(pk=raw.pk).update(payload=json.loads(text))


privacy.register("attendance", export=export_attendance, erase=erase_attendance_reasons, order=30,
                 export_order=20)
privacy.register("attendance_intervals", export=export_intervals, order=31, export_order=21)
privacy.register("raw_attendance_reports", erase=erase_raw_reports, order=32)
