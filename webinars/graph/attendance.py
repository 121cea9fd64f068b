"""Attendance reports and their records, every ``@odata.nextLink`` page followed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from .errors import (
    GraphResponseError,
)

_MAX_PAGES = 10_000


class AttendanceAPI:
    """Mixin of :class:`GraphClient`: attendance reports and records."""

    def _list_all(self, path: str) -> list[dict[str, Any]]:
        """Follow ``@odata.nextLink`` to the end, refusing links that leave the Graph host
        (the bearer token must never be sent elsewhere) or that loop."""
        url = self._url(path)
        seen: set[str] = set()
        items: list[dict[str, Any]] = []
        for _ in range(_MAX_PAGES):
            seen.add(url)
            page = self.request("GET", url)
            value = page.get("value")
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise GraphResponseError(
                    "Graph collection response has no 'value' list of objects", method="GET", url=url
                )
            items.extend(value)
            next_link = page.get("@odata.nextLink")
            if not next_link:
                return items
            parts = urlsplit(str(next_link))
            if (parts.scheme, parts.netloc.lower()) != self._base_origin:
                raise GraphResponseError(
                    f"Refusing @odata.nextLink to another host: {next_link}", method="GET", url=url
                )
            if next_link in seen:
                raise GraphResponseError(f"@odata.nextLink loops back to {next_link}", method="GET", url=url)
            url = str(next_link)
        raise GraphResponseError(f"More than {_MAX_PAGES} pages", method="GET", url=url)

    def list_attendance_reports(self, meeting_id: str) -> list[dict[str, Any]]:
        """All attendance reports (one per session of the meeting); empty before the first one ends."""
        return self._list_all(f"{self._meeting_path(meeting_id)}/attendanceReports")

    def list_attendance_records(self, meeting_id: str, report_id: str) -> list[dict[str, Any]]:
        """All records of a report: ``emailAddress``, ``totalAttendanceInSeconds``, ``role``,
        ``identity`` and ``attendanceIntervals``. A report of a running meeting may be empty."""
        return self._list_all(
            f"{self._meeting_path(meeting_id)}/attendanceReports/"
            f"{quote(report_id, safe='')}/attendanceRecords"
        )
