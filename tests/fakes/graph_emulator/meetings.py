"""Graph onlineMeetings operations and attendance listing, with Graph's validation."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from .common import (
    CREATE_OR_GET_PROPERTIES,
    EVOLVABLE_LOBBY_SCOPES,
    EVOLVABLE_ROLES,
    LOBBY_ADMITTERS,
    LOBBY_SCOPES,
    ONLINE_MEETING_PROPERTIES,
    PATCHABLE_PROPERTIES,
    PREFER_ENUMS,
    PRESENTERS,
    ROLES,
    _b64url,
    _HttpError,
    _iso,
    _parse_datetime,
    _public,
)


class MeetingRoutes:
    """Mixin of :class:`GraphEmulator`: onlineMeetings CRUD, createOrGet, attendance pages."""

    def _operation(
        self, method: str, sub: str, query: dict[str, list[str]], body: Any, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        prefer = PREFER_ENUMS in (headers or {}).get("prefer", "")
        status, out, obj = self._route(method, sub, query, body, prefer)
        return status, out, _shown(obj, prefer)

    def _route(
        self, method: str, sub: str, query: dict[str, list[str]], body: Any, prefer: bool
    ) -> tuple[int, dict[str, str], Any]:
        segments = [unquote(s) for s in sub.strip("/").split("/")]
        if len(segments) < 3 or segments[0] != "users" or segments[2] != "onlineMeetings":
            raise _HttpError(
                400, "BadRequest", f"Resource not found for the segment '{'/'.join(segments[:3])}'."
            )
        user_id = segments[1]
        self._check_user(user_id, method)
        rest = segments[3:]
        if rest == ["createOrGet"]:
            if method != "POST":
                raise _HttpError(405, "MethodNotAllowed", f"{method} is not supported on createOrGet.")
            return self._create_or_get(user_id, body, prefer)
        if not rest:
            if method != "POST":
                raise _HttpError(
                    405, "MethodNotAllowed", f"{method} is not supported on onlineMeetings here."
                )
            # v1.0 documents no externalId on a plain create: like a Graph that ignores it, the
            # emulator drops it, so only createOrGet can find a meeting again.
            return 201, {}, self._create_meeting(user_id, {k: v for k, v in body.items() if k != "externalId"}
                                                 if isinstance(body, dict) else body, prefer)
        meeting = self._get_meeting(user_id, rest[0])
        if len(rest) == 1:
            if method == "GET":
                return 200, {}, _public(meeting)
            if method == "PATCH":
                return 200, {}, self._patch_meeting(meeting, body, prefer)
            if method == "DELETE":
                with self._lock:
                    self.meetings.pop(meeting["id"], None)
                return 204, {}, None
            raise _HttpError(405, "MethodNotAllowed", f"{method} is not supported on an onlineMeeting.")
        if method != "GET" or rest[1] != "attendanceReports":
            raise _HttpError(400, "BadRequest", f"Resource not found for the segment '{rest[1]}'.")
        reports = self.reports.get(meeting["id"], [])
        if len(rest) == 2:
            return 200, {}, self._page(sub, query, reports, "meetingAttendanceReport")
        report = next((r for r in reports if r["id"] == rest[2]), None)
        if report is None:
            raise _HttpError(404, "NotFound", f"Attendance report '{rest[2]}' not found.")
        if len(rest) == 3:
            if (query.get("$expand") or [""])[0] == "attendanceRecords":
                # The expansion is not paged: at most ``expand_limit`` records, no nextLink.
                records = self.records.get(report["id"], [])[: self.expand_limit or self.page_size]
                return 200, {}, {**_public(report), "attendanceRecords": [_public(r) for r in records]}
            return 200, {}, _public(report)
        if len(rest) == 4 and rest[3] == "attendanceRecords":
            return 200, {}, self._page(sub, query, self.records.get(report["id"], []), "attendanceRecord")
        raise _HttpError(400, "BadRequest", f"Resource not found for the segment '{rest[-1]}'.")

    def _check_user(self, user_id: str, method: str) -> None:
        user = self.users.get(user_id)
        if user is None:
            raise _HttpError(404, "NotFound", f"The user '{user_id}' was not found in the tenant.")
        if not user["access_policy"]:
            raise _HttpError(
                403,
                "Forbidden",
                "No application access policy found for this app. "
                f"Application is not allowed to {method} onlineMeetings "
                "on behalf of this user.",
            )

    def _get_meeting(self, user_id: str, meeting_id: str) -> dict[str, Any]:
        meeting = self.meetings.get(meeting_id)
        if meeting is None or meeting["_organizer"] != user_id:
            raise _HttpError(404, "NotFound", f"The onlineMeeting '{meeting_id}' was not found.")
        return meeting

    def _page(
        self, sub: str, query: dict[str, list[str]], items: list[dict[str, Any]], odata_type: str
    ) -> dict[str, Any]:
        try:
            offset = int((query.get("$skiptoken") or ["0"])[0])
            size = int((query.get("$top") or [str(self.page_size)])[0])
        except ValueError:
            raise _HttpError(400, "BadRequest", "Invalid $skiptoken or $top.") from None
        size = max(1, min(size, 999))
        page = [_public(item) for item in items[offset : offset + size]]
        result: dict[str, Any] = {
            "@odata.context": f"{self.graph_base_url}/$metadata#{odata_type}s",
            "value": page,
        }
        if offset + size < len(items):
            result["@odata.nextLink"] = (
                f"{self.graph_base_url}{quote(sub, safe='/')}?$top={size}&$skiptoken={offset + size}"
            )
        return result

    def _validate_meeting_fields(self, body: Any, allowed: frozenset[str], prefer: bool = False) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _HttpError(
                400, "BadRequest", "A JSON object with the onlineMeeting properties is required."
            )
        for name in body:
            if name not in allowed:
                raise _HttpError(
                    400,
                    "BadRequest",
                    f"The property '{name}' does not exist on type 'microsoft.graph.onlineMeeting'.",
                )
        if "subject" in body and not isinstance(body["subject"], str | None):
            raise _HttpError(400, "BadRequest", "Invalid value for 'subject': expected a string.")
        lobby = body.get("lobbyBypassSettings")
        if lobby is not None:
            if not isinstance(lobby, dict) or lobby.get("scope") not in LOBBY_SCOPES:
                raise _HttpError(
                    400,
                    "BadRequest",
                    "Invalid value for 'lobbyBypassSettings.scope': "
                    f"{lobby.get('scope') if isinstance(lobby, dict) else lobby!r}.",
                )
            if lobby["scope"] in EVOLVABLE_LOBBY_SCOPES and not prefer:
                raise _HttpError(
                    400, "BadRequest", f"Invalid value for 'lobbyBypassSettings.scope': {lobby['scope']!r} "
                    "(an evolvable enum member: send 'Prefer: include-unknown-enum-members')."
                )
            if not isinstance(lobby.get("isDialInBypassEnabled", False), bool):
                raise _HttpError(
                    400, "BadRequest", "'lobbyBypassSettings.isDialInBypassEnabled' must be a boolean."
                )
        if "allowedPresenters" in body and body["allowedPresenters"] not in PRESENTERS:
            raise _HttpError(
                400, "BadRequest", f"Invalid value for 'allowedPresenters': {body['allowedPresenters']!r}."
            )
        if "allowedLobbyAdmitters" in body and body["allowedLobbyAdmitters"] not in LOBBY_ADMITTERS:
            raise _HttpError(
                400, "BadRequest", f"Invalid value for 'allowedLobbyAdmitters': {body['allowedLobbyAdmitters']!r}."
            )
        if "participants" in body:
            _check_participants(body["participants"], prefer)
        return body

    def _validate_times(self, body: dict[str, Any]) -> tuple[datetime, datetime]:
        for name in ("startDateTime", "endDateTime"):
            if body.get(name) in (None, ""):
                raise _HttpError(400, "BadRequest", f"The '{name}' property is required.")
        start = _parse_datetime("startDateTime", body["startDateTime"])
        end = _parse_datetime("endDateTime", body["endDateTime"])
        if end <= start:
            raise _HttpError(400, "BadRequest", "'endDateTime' must be after 'startDateTime'.")
        return start, end

    def _create_meeting(self, user_id: str, body: Any, prefer: bool = False) -> dict[str, Any]:
        body = self._validate_meeting_fields(body, ONLINE_MEETING_PROPERTIES, prefer)
        start, end = self._validate_times(body)
        thread = f"19:meeting_{_b64url(secrets.token_bytes(24))}@thread.v2"
        meeting_id = _b64url(f"1*{user_id}*0**{thread}".encode())
        context = quote(json.dumps({"Tid": self.tenant_id, "Oid": user_id}, separators=(",", ":")), safe="")
        meeting = {
            "id": meeting_id,
            "creationDateTime": _iso(datetime.now(UTC)),
            "startDateTime": _iso(start),
            "endDateTime": _iso(end),
            "subject": body.get("subject"),
            "joinWebUrl": (
                f"https://teams.microsoft.com/l/meetup-join/{quote(thread, safe='')}/0?context={context}"
            ),
            "joinMeetingIdSettings": {
                "isPasscodeRequired": True,
                "joinMeetingId": str(self._rng.randrange(10**11, 10**12)),
                "passcode": secrets.token_hex(3),
            },
            "chatInfo": {"threadId": thread, "messageId": "0", "replyChainMessageId": None},
            "lobbyBypassSettings": body.get("lobbyBypassSettings")
            or {"scope": "organization", "isDialInBypassEnabled": False},
            "allowedPresenters": body.get("allowedPresenters", "everyone"),
            "allowedLobbyAdmitters": body.get("allowedLobbyAdmitters", "organizerAndCoOrganizersAndPresenters"),
            "isEntryExitAnnounced": body.get("isEntryExitAnnounced", True),
            "participants": {
                "organizer": {
                    "upn": None,
                    "role": "presenter",
                    "identity": {"user": {"id": user_id, "tenantId": self.tenant_id}},
                },
                "attendees": list((body.get("participants") or {}).get("attendees") or []),
            },
            "videoTeleconferenceId": None,
            "externalId": body.get("externalId"),
        }
        _check_presenters(meeting)
        with self._lock:
            self.meetings[meeting_id] = {**meeting, "_organizer": user_id}
        return meeting

    def _create_or_get(self, user_id: str, body: Any, prefer: bool) -> tuple[int, dict[str, str], dict[str, Any]]:
        """``createOrGet``: 200 with the organizer's meeting carrying ``externalId``, else 201 with a
        new one. Like Graph, it accepts only a handful of properties (no lobby settings)."""
        body = self._validate_meeting_fields(body, CREATE_OR_GET_PROPERTIES, prefer)
        external_id = body.get("externalId")
        if not isinstance(external_id, str) or not external_id:
            raise _HttpError(400, "BadRequest", "The 'externalId' property is required.")
        with self._lock:
            for meeting in self.meetings.values():
                if meeting["_organizer"] == user_id and meeting.get("externalId") == external_id:
                    return 200, {}, _public(meeting)
            return 201, {}, self._create_meeting(user_id, body, prefer)

    def _patch_meeting(self, meeting: dict[str, Any], body: Any, prefer: bool = False) -> dict[str, Any]:
        body = self._validate_meeting_fields(body, PATCHABLE_PROPERTIES, prefer)
        if ("startDateTime" in body) != ("endDateTime" in body):
            raise _HttpError(400, "BadRequest", "'startDateTime' and 'endDateTime' must be updated together.")
        update = dict(body)
        if "startDateTime" in body:
            start, end = self._validate_times(body)
            update["startDateTime"], update["endDateTime"] = _iso(start), _iso(end)
        if "participants" in update:
            update["participants"] = {**meeting["participants"],
                                      "attendees": list(update["participants"].get("attendees") or [])}
        _check_presenters({**meeting, **update})
        with self._lock:
            meeting.update(update)
            return _public(meeting)


def _check_participants(participants: Any, prefer: bool) -> None:
    """meetingParticipants: ``attendees`` of meetingParticipantInfo with a tenant user and a role."""
    if not isinstance(participants, dict) or not isinstance(participants.get("attendees", []), list):
        raise _HttpError(400, "BadRequest", "Invalid value for 'participants'.")
    for info in participants.get("attendees", []):
        user = ((info or {}).get("identity") or {}).get("user") if isinstance(info, dict) else None
        if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not user["id"]:
            raise _HttpError(400, "BadRequest", "Each attendee needs 'identity.user.id'.")
        role = info.get("role", "attendee")
        if role not in ROLES:
            raise _HttpError(400, "BadRequest", f"Invalid value for 'role': {role!r}.")
        if role in EVOLVABLE_ROLES and not prefer:
            raise _HttpError(400, "BadRequest", f"Invalid value for 'role': {role!r} (an evolvable enum member: "
                             "send 'Prefer: include-unknown-enum-members').")
        if role == "producer":
            raise _HttpError(400, "BadRequest", "The 'producer' role applies to Teams live events only.")


def _check_presenters(meeting: dict[str, Any]) -> None:
    """A presenter role needs ``allowedPresenters: roleIsPresenter`` (meetingParticipantInfo tip)."""
    roles = {info.get("role") for info in meeting["participants"].get("attendees") or []}
    if "presenter" in roles and meeting.get("allowedPresenters") != "roleIsPresenter":
        raise _HttpError(400, "BadRequest", "The presenter role requires allowedPresenters to be roleIsPresenter.")


def _shown(obj: Any, prefer: bool) -> Any:
    """Without the Prefer header Graph returns evolvable enum members as ``unknownFutureValue``."""
    if prefer or not isinstance(obj, dict) or "participants" not in obj:
        return obj
    shown = dict(obj)
    lobby = shown.get("lobbyBypassSettings") or {}
    if lobby.get("scope") in EVOLVABLE_LOBBY_SCOPES:
        shown["lobbyBypassSettings"] = {**lobby, "scope": "unknownFutureValue"}
    attendees = [{**info, "role": "unknownFutureValue"} if info.get("role") in EVOLVABLE_ROLES else info
                 for info in shown["participants"].get("attendees") or []]
    shown["participants"] = {**shown["participants"], "attendees": attendees}
    return shown
