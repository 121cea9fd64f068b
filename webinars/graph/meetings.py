"""Online meetings: create-or-get, update, delete, and JSON batching (``POST /$batch``, at most 20
requests per batch, inner 429/5xx retried by hand because they arrive inside a 200 envelope)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import (
    GraphBatchError,
    GraphError,
    GraphResponseError,
    GraphThrottledError,
    GraphUnavailableError,
    error_from_response,
)
from .transport import PREFER_HEADER, RETRYABLE_5XX

#: Graph's documented JSON-batching limit.
MAX_BATCH_SIZE = 20

#: Who skips the lobby by default: the tenant's people and its B2B guests (trainers with a guest
#: account). Everyone else (other cooperatives' tenants, anonymous joiners, a forwarded link) waits
#: until a presenter admits them; see docs/teams.md, "Presenters and lobby".
LOBBY_SCOPE = "organization"
#: Presenting is limited to the people listed with the presenter role (and the co-organizers).
ALLOWED_PRESENTERS = "roleIsPresenter"
#: Presenters (the trainers) may admit from the lobby, not only organizer and co-organizers.
LOBBY_ADMITTERS = "organizerAndCoOrganizersAndPresenters"
ROLES = frozenset({"presenter", "coorganizer"})


@dataclass
class BatchResponse:
    """One inner response of a JSON batch, in the caller's input order."""

    index: int
    status: int
    headers: dict[str, str]
    body: Any
    error: GraphError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300


def _iso_utc(value: datetime) -> str:
    """Graph wants ISO 8601; we always send UTC with ``Z`` so no time-zone name is ever needed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"Naive datetime {value!r}: pass an aware datetime (USE_TZ=True)")
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_instant(value: Any) -> datetime | None:
    """Graph's instants (``2026-01-01T14:00:00.0000000Z``: up to seven fractional digits)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if "." in text:
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        text = f"{head}.{digits[:6].ljust(6, '0')}{tail[len(digits):]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _participant(person: Mapping[str, str]) -> dict[str, Any]:
    """A meetingParticipantInfo for a tenant user (identitySet.user.id is the Entra object id)."""
    role = str(person.get("role") or "presenter")
    if role not in ROLES or not person.get("user_id"):
        raise ValueError(f"participant needs an Entra user id and a role in {sorted(ROLES)}: {person!r}")
    info: dict[str, Any] = {"identity": {"user": {"id": str(person["user_id"])}}, "role": role}
    if person.get("upn"):
        info["upn"] = str(person["upn"])
    return info


def _roles(meeting: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(Entra id, role) of the meeting's listed attendees, as Graph returned them."""
    attendees = ((meeting.get("participants") or {}).get("attendees")) or []
    found = set()
    for info in attendees:
        user = ((info or {}).get("identity") or {}).get("user") or {}
        if user.get("id"):
            found.add((str(user["id"]), str(info.get("role") or "attendee")))
    return found


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    """Case-insensitive header lookup for plain dicts (inner batch responses)."""
    if not headers:
        return None
    lname = name.lower()
    for key, value in headers.items():
        if str(key).lower() == lname:
            return str(value)
    return None



class MeetingsAPI:
    """Mixin of :class:`GraphClient`: onlineMeetings and ``$batch``."""

    @staticmethod
    def meeting_body(
        subject: str,
        start: datetime,
        end: datetime,
        *,
        lobby_scope: str = LOBBY_SCOPE,
        dial_in_bypass: bool = False,
        allowed_presenters: str = ALLOWED_PRESENTERS,
        lobby_admitters: str = LOBBY_ADMITTERS,
        participants: Iterable[Mapping[str, str]] = (),
        external_id: str = "",
    ) -> dict[str, Any]:
        """The onlineMeeting payload. ``participants`` are ``{"user_id", "upn", "role"}`` with role
        ``presenter`` or ``coorganizer``: the people of the tenant who present and admit the lobby
        (meetingParticipantInfo; a presenter role needs ``allowedPresenters: roleIsPresenter``).
        ``external_id`` (our idempotency key) lets :meth:`create_or_get_online_meeting` find the
        meeting again after a crash between Graph's answer and our commit."""
        if end <= start:
            raise ValueError("end must be after start")
        body = {
            "subject": subject,
            "startDateTime": _iso_utc(start),
            "endDateTime": _iso_utc(end),
            "lobbyBypassSettings": {"scope": lobby_scope, "isDialInBypassEnabled": bool(dial_in_bypass)},
            "allowedPresenters": allowed_presenters,
            "allowedLobbyAdmitters": lobby_admitters,
            "participants": {"attendees": [_participant(p) for p in participants]},
        }
        if external_id:
            body["externalId"] = external_id
        return body

    @staticmethod
    def _check_meeting(body: Any, *, status: int | None = None, url: str = "") -> dict[str, Any]:
        if not isinstance(body, dict):
            raise GraphResponseError("Graph returned no onlineMeeting object", status=status, url=url)
        missing = [name for name in ("id", "joinWebUrl") if not body.get(name)]
        if missing:
            raise GraphResponseError(
                f"Graph onlineMeeting response lacks {', '.join(missing)}; not recording it",
                status=status,
                url=url,
            )
        return body

    def create_or_get_online_meeting(
        self, external_id: str, subject: str, start: datetime, end: datetime
    ) -> dict[str, Any]:
        """``POST /users/{id}/onlineMeetings/createOrGet``: the meeting carrying ``external_id``,
        created only if none exists yet. Graph accepts no lobby or presenter settings here, so a
        caller that needs them PATCHes them afterwards (see ``webinars.teams``). Used to reconcile
        an interrupted creation, never for the bulk path (that would double the calls)."""
        if not external_id:
            raise ValueError("external_id is required")
        if end <= start:
            raise ValueError("end must be after start")
        body = {
            "externalId": external_id,
            "subject": subject,
            "startDateTime": _iso_utc(start),
            "endDateTime": _iso_utc(end),
        }
        response = self._send("POST", self._user_path() + "/createOrGet", body)
        return self._check_meeting(
            self._parse(response, "POST"), status=response.status_code, url=response.url
        )

    def update_online_meeting(
        self,
        meeting_id: str,
        *,
        subject: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> dict[str, Any]:
        """PATCH subject and/or times. Start and end travel together: Graph validates them as a pair."""
        if (start is None) != (end is None):
            raise ValueError("start and end must be updated together")
        body: dict[str, Any] = {}
        if subject is not None:
            body["subject"] = subject
        if start is not None and end is not None:
            if end <= start:
                raise ValueError("end must be after start")
            body["startDateTime"] = _iso_utc(start)
            body["endDateTime"] = _iso_utc(end)
        if not body:
            raise ValueError("nothing to update")
        return self.request("PATCH", self._meeting_path(meeting_id), body)

    def delete_online_meeting(self, meeting_id: str) -> bool:
        """Delete; returns False when the meeting was already gone (404), so retries are idempotent."""
        response = self._send("DELETE", self._meeting_path(meeting_id))
        if response.status_code == 404:
            return False
        self._parse(response, "DELETE")
        return True

    # -- batching ---------------------------------------------------------------------------------

    def batch(self, requests_: Iterable[Mapping[str, Any]]) -> list[BatchResponse]:
        """Run requests through ``POST /$batch`` (20 per batch), retrying throttled inner requests.

        Each request is ``{"method", "url", "body"?, "headers"?}`` with ``url`` relative to the
        version (``/users/{id}/onlineMeetings``). An inner 429/5xx is re-sent in a later batch that
        contains only the failed requests, after the largest inner ``Retry-After``; inner 4xx are
        final. Inner responses come back in any order, so they are matched by ``id``.
        """
        items = list(requests_)
        results: list[BatchResponse | None] = [None] * len(items)
        attempts = [0] * len(items)
        pending = list(range(len(items)))
        while pending:
            retry: list[int] = []
            wait = 0.0
            for chunk_start in range(0, len(pending), MAX_BATCH_SIZE):
                chunk = pending[chunk_start : chunk_start + MAX_BATCH_SIZE]
                payload = {"requests": [self._batch_entry(index, items[index]) for index in chunk]}
                try:
                    envelope = self.request("POST", "/$batch", payload)
                except GraphError as exc:
                    # This chunk's outcome is unknown or refused; the answers of the other chunks
                    # stand (those meetings exist and must be recorded).
                    for index in chunk:
                        results[index] = BatchResponse(index, exc.status or 0, {}, None, exc)
                    continue
                responses = envelope.get("responses")
                if not isinstance(responses, list):
                    raise GraphResponseError(
                        "Graph $batch response has no 'responses' list",
                        method="POST",
                        url=self._url("/$batch"),
                    )
                by_id = {str(r.get("id")): r for r in responses if isinstance(r, dict)}
                for index in chunk:
                    inner = by_id.get(str(index))
                    method = str(items[index].get("method", "GET")).upper()
                    url = str(items[index].get("url", ""))
                    if inner is None or not isinstance(inner.get("status"), int):
                        results[index] = BatchResponse(
                            index,
                            0,
                            {},
                            None,
                            GraphResponseError(
                                f"Graph $batch response has no valid entry for request {index}",
                                method=method,
                                url=url,
                            ),
                        )
                        continue
                    status = inner["status"]
                    headers = {str(k): str(v) for k, v in (inner.get("headers") or {}).items()}
                    body = inner.get("body")
                    if status == 429 or status in RETRYABLE_5XX:
                        attempts[index] += 1
                        if attempts[index] <= self.config.max_retries:
                            retry.append(index)
                            wait = max(
                                wait, self._retry_delay(_header(headers, "Retry-After"), attempts[index])
                            )
                            continue
                        cls = GraphThrottledError if status == 429 else GraphUnavailableError
                        base = error_from_response(status, body, method=method, url=url)
                        error: GraphError | None = cls(
                            f"Giving up after {attempts[index]} attempts: {base.message}",
                            status=status,
                            code=base.code,
                            method=method,
                            url=url,
                        )
                    elif 200 <= status < 300:
                        error = None
                    else:
                        error = error_from_response(status, body, method=method, url=url)
                    results[index] = BatchResponse(index, status, headers, body, error)
            pending = sorted(retry)
            if pending:
                self.sleep(wait)
        return [r for r in results if r is not None]

    @staticmethod
    def _batch_entry(index: int, item: Mapping[str, Any]) -> dict[str, Any]:
        url = str(item["url"])
        if url.startswith("https://"):
            raise ValueError("batch URLs are relative to the Graph version, e.g. /users/{id}/onlineMeetings")
        entry: dict[str, Any] = {
            "id": str(index),
            "method": str(item.get("method", "GET")).upper(),
            "url": "/" + url.lstrip("/"),
        }
        headers = dict(item.get("headers") or {})
        if item.get("body") is not None:
            headers.setdefault("Content-Type", "application/json")
            entry["body"] = item["body"]
        if headers:
            entry["headers"] = headers
        return entry

    def create_online_meetings_batch(self, items: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Create (or find) many meetings with JSON batching; results in input order.

        Each item goes to ``POST /users/{id}/onlineMeetings/createOrGet`` with its ``external_id``,
        so repeating a request whose outcome is unknown finds the meeting instead of making a second
        one. What ``createOrGet`` does not take (lobby, presenters) and whatever it returned stale
        (an older meeting found by its key: subject, start, end) is then PATCHed, batched too.
        ``items`` are dicts with ``subject``, ``start``, ``end``, ``external_id`` and the keyword
        arguments of :meth:`meeting_body`. If any item fails, a
        :class:`GraphBatchError` carries the meetings obtained (they exist in Teams and must be
        recorded) and the per-item errors.
        """
        path = self._user_path()
        bodies = []
        for item in items:
            if item["end"] <= item["start"]:
                raise ValueError("end must be after start")
            # Without the caller's key the request is still a createOrGet, just not repeatable.
            bodies.append({"externalId": item.get("external_id") or f"academy-{uuid.uuid4()}", "subject": item["subject"],
                           "startDateTime": _iso_utc(item["start"]), "endDateTime": _iso_utc(item["end"])})
        responses = self.batch({"method": "POST", "url": path + "/createOrGet", "body": b, "headers": PREFER_HEADER}
                               for b in bodies)
        created: list[dict[str, Any] | None] = [None] * len(items)
        errors: dict[int, GraphError] = {}
        for response in responses:
            error = response.error
            if error is None:
                try:
                    created[response.index] = self._check_meeting(response.body, status=response.status, url=path)
                except GraphResponseError as exc:
                    error = exc
            if error is not None:
                errors[response.index] = error
        patches = {i: self.settle_patch(m, items[i]) for i, m in enumerate(created) if m is not None}
        patches = {i: body for i, body in patches.items() if body}
        order = sorted(patches)
        answers = self.batch(
            {"method": "PATCH", "url": self._meeting_path(str(created[i]["id"])), "body": patches[i],  # type: ignore[index]
             "headers": PREFER_HEADER}
            for i in order
        )
        for answer in answers:
            index = order[answer.index]
            if answer.ok:
                created[index] = {**created[index], **(answer.body if isinstance(answer.body, dict) else {})}  # type: ignore[dict-item]
            else:
                # The meeting exists but is not as it should be: report the item failed; the next
                # run finds it again through createOrGet and PATCHes again.
                errors[index] = answer.error or error_from_response(answer.status, answer.body)
                created[index] = None
        if errors:
            summary = "; ".join(
                f"#{i}: {e.code or e.status} {e.message}" for i, e in sorted(errors.items())[:5]
            )
            raise GraphBatchError(
                f"{len(errors)} of {len(items)} meetings could not be created: {summary}",
                results=created,
                errors=errors,
            )
        return [meeting for meeting in created if meeting is not None]

    @classmethod
    def settle_patch(cls, meeting: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
        """What to PATCH so the meeting matches ``item``: lobby, presenters, lobby admitters and the
        people presenting (createOrGet takes none of them), and subject/times when createOrGet
        returned a meeting made for an older schedule."""
        wanted = cls.meeting_body(item["subject"], item["start"], item["end"], **settings_of(item))
        body: dict[str, Any] = {}
        lobby = meeting.get("lobbyBypassSettings") or {}
        if lobby.get("scope") != wanted["lobbyBypassSettings"]["scope"] or bool(
            lobby.get("isDialInBypassEnabled")
        ) != wanted["lobbyBypassSettings"]["isDialInBypassEnabled"]:
            body["lobbyBypassSettings"] = wanted["lobbyBypassSettings"]
        for name in ("allowedPresenters", "allowedLobbyAdmitters", "subject"):
            if meeting.get(name) != wanted[name]:
                body[name] = wanted[name]
        if _roles(meeting) != _roles(wanted):
            body["participants"] = wanted["participants"]
            # Graph checks a presenter role against allowedPresenters in the same request.
            body["allowedPresenters"] = wanted["allowedPresenters"]
        start, end = (item[k].astimezone(UTC).replace(microsecond=0) for k in ("start", "end"))
        if _parse_instant(meeting.get("startDateTime")) != start or _parse_instant(
            meeting.get("endDateTime")
        ) != end:
            body["startDateTime"], body["endDateTime"] = wanted["startDateTime"], wanted["endDateTime"]
        return body


def settings_of(item: Mapping[str, Any]) -> dict[str, Any]:
    """The :meth:`MeetingsAPI.meeting_body` keyword arguments an item carries (defaults otherwise)."""
    names = ("lobby_scope", "dial_in_bypass", "allowed_presenters", "lobby_admitters", "participants")
    return {name: item[name] for name in names if name in item}
