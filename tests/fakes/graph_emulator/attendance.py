"""Seeding attendance reports and records as Teams would produce them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from .common import (
    _iso,
)


class AttendanceSeeding:
    """Mixin of :class:`GraphEmulator`: reports and records for tests."""

    def add_attendance_report(
        self,
        meeting_id: str,
        records: Iterable[Mapping[str, Any]] = (),
        *,
        report_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> dict[str, Any]:
        """Seed an attendance report. Each record may use short keys (``email``, ``seconds``,
        ``intervals`` as ``[{"join", "leave"}]``, ``name``, ``role``, ``id``) or Graph's own keys."""
        with self._lock:
            meeting = self.meetings.get(meeting_id)
            if meeting is None:
                raise KeyError(f"unknown meeting {meeting_id!r}")
            started = start or datetime.fromisoformat(meeting["startDateTime"])
            ended = end or datetime.fromisoformat(meeting["endDateTime"])
            built = [self._build_record(r, started) for r in records]
            report = {
                "id": report_id or str(uuid.uuid4()),
                "totalParticipantCount": len(built),
                "meetingStartDateTime": _iso(started),
                "meetingEndDateTime": _iso(ended),
            }
            self.reports.setdefault(meeting_id, []).append(report)
            self.records[report["id"]] = built
            return dict(report)

    def add_attendance_records(self, report_id: str, records: Iterable[Mapping[str, Any]]) -> None:
        """Append records to an existing report (a running meeting's report filling up)."""
        with self._lock:
            report = next(r for reports in self.reports.values() for r in reports if r["id"] == report_id)
            start = datetime.fromisoformat(report["meetingStartDateTime"])
            self.records[report_id].extend(self._build_record(r, start) for r in records)
            report["totalParticipantCount"] = len(self.records[report_id])

    @staticmethod
    def _build_record(spec: Mapping[str, Any], meeting_start: datetime) -> dict[str, Any]:
        if "emailAddress" in spec:
            return dict(spec)
        intervals = []
        for interval in spec.get("intervals") or []:
            join = interval.get("join") or interval.get("joinDateTime")
            leave = interval.get("leave") or interval.get("leaveDateTime")
            join_dt = join if isinstance(join, datetime) else datetime.fromisoformat(str(join))
            leave_dt = leave if isinstance(leave, datetime) else datetime.fromisoformat(str(leave))
            intervals.append(
                {
                    "joinDateTime": _iso(join_dt),
                    "leaveDateTime": _iso(leave_dt),
                    "durationInSeconds": int((leave_dt - join_dt).total_seconds()),
                }
            )
        seconds = spec.get("seconds")
        if not intervals:
            seconds = int(seconds or 0)
            intervals.append(
                {
                    "joinDateTime": _iso(meeting_start),
                    "leaveDateTime": _iso(meeting_start + timedelta(seconds=seconds)),
                    "durationInSeconds": seconds,
                }
            )
        if seconds is None:
            seconds = sum(i["durationInSeconds"] for i in intervals)
        email = spec.get("email", "")
        return {
            "id": spec.get("id") or str(uuid.uuid4()),
            "emailAddress": email,
            "totalAttendanceInSeconds": int(seconds),
            "role": spec.get("role", "Attendee"),
            "identity": {
                "id": spec.get("user_id") or spec.get("id") or "",
                "displayName": spec.get("name") or email.split("@")[0],
                "tenantId": None,
            },
            "attendanceIntervals": intervals,
        }

