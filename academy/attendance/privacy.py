"""Attendance rows are exported; they stay at erasure (the person is anonymised), because course
registers and certificates are built from them. Free text written about the person (a record's reason,
a correction's reason) loses their name, e-mail and codice fiscale; the minutes and who corrected them
stay."""

from __future__ import annotations

from academy.core import privacy

from .models import AttendanceChange, AttendanceRecord


def export_attendance(person) -> list[dict]:
    return [
        {"session": str(a.session), "minutes": a.minutes, "source": a.source}
        for a in AttendanceRecord.objects.filter(person=person).select_related("session__course")
    ]


def erase_attendance_reasons(person, *, by, now) -> None:
    words = privacy.identifiers(person)
    mentioning = privacy.mentions(person)("reason")
    for model in (AttendanceRecord, AttendanceChange):
        for row in model.objects.filter(mentioning).only("pk", "reason"):
            model.objects.filter(pk=row.pk).update(reason=privacy.redact(row.reason, person, words=words))


privacy.register("attendance", export=export_attendance, erase=erase_attendance_reasons, order=30,
                 export_order=20)
