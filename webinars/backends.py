"""Where Teams meetings are made: ``dry-run`` (default, nothing leaves the machine) or ``graph``.

``webinars.teams`` holds the rules (which sessions get a meeting, what is recorded, how a crash is
resumed); a backend only talks. Both backends have the same surface so every rule is exercised the
same way in the embedded default, in the tests (against the HTTPS emulator) and in production.

Dry-run join URLs live under ``teams.example.invalid`` (a reserved, never-resolving domain) and
contain ``dry-run``, so nobody mistakes them for a real meeting; they are derived from the
idempotency key, so the dry-run backend is as idempotent as ``createOrGet``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings

from .graph import GraphBatchError, GraphClient, GraphConfig, GraphConfigError, GraphError, GraphResponseError

DRY_RUN_JOIN_PREFIX = "https://teams.example.invalid/l/meetup-join/dry-run-"
DRY_RUN_ORGANIZER = "dry-run-organizer"


@dataclass(frozen=True)
class MeetingSpec:
    """What a session's meeting should look like; ``external_id`` is the idempotency key."""

    external_id: str
    subject: str
    start: datetime
    end: datetime
    #: lobbyBypassSettings: who skips the lobby, and whether phone callers do.
    lobby_scope: str = "organization"
    dial_in_bypass: bool = False
    #: (Entra object id, sign-in name, role) of the people who present and admit the lobby.
    hosts: tuple[tuple[str, str, str], ...] = field(default=())

    def as_item(self) -> dict[str, Any]:
        return {"subject": self.subject, "start": self.start, "end": self.end, "external_id": self.external_id,
                "lobby_scope": self.lobby_scope, "dial_in_bypass": self.dial_in_bypass,
                "participants": [{"user_id": uid, "upn": upn, "role": role} for uid, upn, role in self.hosts]}

    def as_request(self) -> dict[str, Any]:
        """The Graph body, for the operations log (what was, or would be, sent)."""
        item = self.as_item()
        return GraphClient.meeting_body(self.subject, self.start, self.end, external_id=self.external_id,
                                        lobby_scope=item["lobby_scope"], dial_in_bypass=item["dial_in_bypass"],
                                        participants=item["participants"])


class TeamsBackend(Protocol):
    name: str
    organizer_id: str

    def create_many(self, specs: list[MeetingSpec]) -> list[dict[str, Any] | GraphError]: ...

    def create_or_get(self, spec: MeetingSpec) -> dict[str, Any]: ...

    def update(self, meeting_id: str, start: datetime, end: datetime) -> dict[str, Any]: ...

    def get(self, meeting_id: str) -> dict[str, Any]: ...

    def settle(self, meeting_id: str, spec: MeetingSpec) -> bool: ...

    def delete(self, meeting_id: str) -> bool: ...

    def attendance(self, meeting_id: str) -> tuple[int, list[dict[str, Any]]]: ...

    def attendance_reports(self, meeting_id: str) -> list[dict[str, Any]]: ...


class DryRunBackend:
    """Records instead of sending: meetings get clearly fake, deterministic join URLs."""

    name = "dry-run"
    organizer_id = DRY_RUN_ORGANIZER

    @staticmethod
    def _meeting(spec: MeetingSpec) -> dict[str, Any]:
        token = uuid.uuid5(uuid.NAMESPACE_URL, f"academy-teams:{spec.external_id}")
        return {"id": f"dry-run-{token}", "joinWebUrl": f"{DRY_RUN_JOIN_PREFIX}{token}",
                "externalId": spec.external_id}

    def create_many(self, specs: list[MeetingSpec]) -> list[dict[str, Any] | GraphError]:
        return [self._meeting(spec) for spec in specs]

    def create_or_get(self, spec: MeetingSpec) -> dict[str, Any]:
        return self._meeting(spec)

    def update(self, meeting_id: str, start: datetime, end: datetime) -> dict[str, Any]:
        return {"id": meeting_id}

    def get(self, meeting_id: str) -> dict[str, Any]:
        return {"id": meeting_id}

    def settle(self, meeting_id: str, spec: MeetingSpec) -> bool:
        return False

    def delete(self, meeting_id: str) -> bool:
        return True

    def attendance(self, meeting_id: str) -> tuple[int, list[dict[str, Any]]]:
        return 0, []

    def attendance_reports(self, meeting_id: str) -> list[dict[str, Any]]:
        return []


class GraphBackend:
    """Microsoft Graph through :class:`GraphClient` (retries, batching, validation live there)."""

    name = "graph"

    def __init__(self, client: GraphClient) -> None:
        self.client = client
        self.organizer_id = client.config.organizer_user_id

    def create_many(self, specs: list[MeetingSpec]) -> list[dict[str, Any] | GraphError]:
        """JSON-batched creation; per item the meeting or the error (successes always returned,
        because those meetings exist in Teams and must be recorded)."""
        if not specs:
            return []
        try:
            return list(self.client.create_online_meetings_batch([s.as_item() for s in specs]))
        except GraphBatchError as exc:
            return [exc.errors[i] if meeting is None else meeting for i, meeting in enumerate(exc.results)]

    def create_or_get(self, spec: MeetingSpec) -> dict[str, Any]:
        """The meeting carrying ``spec``'s key (created if none), settled to match ``spec``."""
        (answer,) = self.create_many([spec])
        if isinstance(answer, GraphError):
            raise answer
        return answer

    def update(self, meeting_id: str, start: datetime, end: datetime) -> dict[str, Any]:
        return self.client.update_online_meeting(meeting_id, start=start, end=end)

    def get(self, meeting_id: str) -> dict[str, Any]:
        """The meeting as Teams has it; ``GraphNotFound`` once someone deleted it in Teams."""
        return self.client.request("GET", self.client._meeting_path(meeting_id))

    def settle(self, meeting_id: str, spec: MeetingSpec) -> bool:
        """GET the meeting (``GraphNotFound`` if deleted in Teams) and PATCH what differs from ``spec``
        (presenters added or removed since, the lobby policy); True if something was patched."""
        path = self.client._meeting_path(meeting_id)
        patch = self.client.settle_patch(self.client.request("GET", path), spec.as_item())
        if patch:
            self.client.request("PATCH", path, patch)
        return bool(patch)

    def delete(self, meeting_id: str) -> bool:
        return self.client.delete_online_meeting(meeting_id)

    def attendance_reports(self, meeting_id: str) -> list[dict[str, Any]]:
        """Every report as Graph returned it, each with its ``attendanceRecords`` (all pages followed)."""
        reports = self.client.list_attendance_reports(meeting_id)
        full: list[dict[str, Any]] = []
        for report in reports:
            report_id = str(report.get("id") or "")
            if not report_id:
                raise GraphResponseError("Graph attendance report without an id; not importing")
            full.append({**report, "attendanceRecords": self.client.list_attendance_records(meeting_id, report_id)})
        return full

    def attendance(self, meeting_id: str) -> tuple[int, list[dict[str, Any]]]:
        """(number of reports, every record of every report), all pages followed."""
        reports = self.attendance_reports(meeting_id)
        return len(reports), [r for report in reports for r in report["attendanceRecords"]]


def backend_name() -> str:
    """The configured backend's name (``settings.TEAMS["BACKEND"]``, ``dry-run`` unless set)."""
    return (getattr(settings, "TEAMS", {}) or {}).get("BACKEND") or "dry-run"


def get_backend() -> TeamsBackend:
    """The backend named by ``settings.TEAMS["BACKEND"]`` (``dry-run`` unless configured)."""
    name = backend_name()
    if name == "dry-run":
        return DryRunBackend()
    if name == "graph":
        return GraphBackend(GraphClient(GraphConfig.from_settings()))
    raise GraphConfigError(f"Unknown TEAMS_BACKEND {name!r}: use 'dry-run' or 'graph'")
