"""Attendance rows are exported; they stay at erasure (the person is anonymised), because course
registers and certificates are built from them."""

from __future__ import annotations

from academy.core import privacy

from .models import AttendanceRecord


def export_attendance(person) -> list[dict]:
    return [
        {"session": str(a.session), "minutes": a.minutes, "source": a.source}
        for a in AttendanceRecord.objects.filter(person=person).select_related("session__course")
    ]


privacy.register("attendance", export=export_attendance, export_order=20)
