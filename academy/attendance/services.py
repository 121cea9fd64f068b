"""Attendance rules. For now one writer used by the Teams import and staff corrections.

``record_minutes`` is an upsert per (session, person, source): a source reports the *whole* time a
person spent at a session, so a later report from the same source replaces the earlier figure rather
than adding to it (a re-imported Teams report must never double anyone's minutes).
"""

from __future__ import annotations

from django.db import transaction

from .models import AttendanceRecord


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
