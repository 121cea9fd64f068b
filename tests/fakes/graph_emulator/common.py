"""Constants, request log entries and small helpers shared by the emulator's parts."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON_TYPE = (
    "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"
)
ONLINE_MEETING_PROPERTIES = frozenset(
    {
        "subject",
        "startDateTime",
        "endDateTime",
        "lobbyBypassSettings",
        "allowedPresenters",
        "allowedLobbyAdmitters",
        "participants",
        "isEntryExitAnnounced",
        "allowMeetingChat",
        "allowTeamworkReactions",
        "recordAutomatically",
        "externalId",
        "chatInfo",
        "allowAttendeeToEnableCamera",
        "allowAttendeeToEnableMic",
        "joinMeetingIdSettings",
        "allowRecording",
        "allowTranscription",
        "watermarkProtection",
        "shareMeetingChatHistoryDefault",
        "audioConferencing",
    }
)
CREATE_OR_GET_PROPERTIES = frozenset(
    {"externalId", "subject", "startDateTime", "endDateTime", "participants", "chatInfo"}
)
PATCHABLE_PROPERTIES = ONLINE_MEETING_PROPERTIES - {"externalId", "chatInfo", "audioConferencing"}
LOBBY_SCOPES = frozenset(
    {
        "organizer",
        "organization",
        "organizationAndFederated",
        "everyone",
        "invited",
        "organizationExcludingGuests",
    }
)
#: lobbyBypassScope members after the ``unknownFutureValue`` sentinel: evolvable, so Graph accepts and
#: returns them only with ``Prefer: include-unknown-enum-members`` (lobbyBypassSettings resource type).
EVOLVABLE_LOBBY_SCOPES = frozenset({"invited", "organizationExcludingGuests"})
PRESENTERS = frozenset({"everyone", "organization", "roleIsPresenter", "organizer"})
#: allowedLobbyAdmitterRoles (onlineMeetingBase, v1.0).
LOBBY_ADMITTERS = frozenset({"organizerAndCoOrganizersAndPresenters", "organizerAndCoOrganizers"})
#: onlineMeetingRole: ``producer`` and ``coorganizer`` are evolvable members; ``producer`` applies to
#: Teams live events only, ``presenter`` only with ``allowedPresenters: roleIsPresenter``
#: (meetingParticipantInfo resource type).
ROLES = frozenset({"attendee", "presenter", "coorganizer", "producer"})
EVOLVABLE_ROLES = frozenset({"coorganizer", "producer"})
PREFER_ENUMS = "include-unknown-enum-members"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class _HttpError(Exception):
    """Internal: abort an operation with a Graph-style error response."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})



def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _public(item: Mapping[str, Any]) -> dict[str, Any]:
    """Copy without the emulator's private bookkeeping keys (``_organizer``)."""
    return {k: v for k, v in item.items() if not k.startswith("_")}


def _parse_datetime(name: str, value: Any) -> datetime:
    """Graph's DateTimeOffset: ISO 8601 with an explicit offset or Z."""
    if not isinstance(value, str):
        raise _HttpError(
            400, "BadRequest", f"Invalid value for '{name}': expected an ISO 8601 date-time string."
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _HttpError(
            400,
            "BadRequest",
            f"Cannot convert the literal '{value}' to the expected type 'Edm.DateTimeOffset' for '{name}'.",
        ) from None
    if parsed.tzinfo is None:
        raise _HttpError(400, "BadRequest", f"'{name}' must include a UTC offset or 'Z': '{value}'.")
    return parsed



@dataclass
class LoggedRequest:
    """One request as the emulator saw it. ``kind``: discovery, token, graph, batch, batch-inner, other."""

    method: str
    path: str
    status: int
    kind: str
    body: Any = None
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

