"""GraphClient against the HTTPS Graph emulator: msal authentication, meeting payloads, retries,
paging, JSON batching and response validation -- all observed over real HTTP, no mocks."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from tests.fakes.graph_emulator import GraphEmulator
from webinars.graph import (
    GraphAuthError,
    GraphBadRequest,
    GraphBatchError,
    GraphClient,
    GraphConfig,
    GraphConfigError,
    GraphNotFound,
    GraphPermissionError,
    GraphResponseError,
    GraphThrottledError,
    GraphUnavailableError,
)

ROME = ZoneInfo("Europe/Rome")
START = datetime(2030, 3, 4, 9, 30, tzinfo=ROME)
END = START + timedelta(hours=2)


def meetings_path(emulator: GraphEmulator) -> str:
    return f"/v1.0/users/{emulator.organizer_user_id}/onlineMeetings"


def create_meeting(client: GraphClient, subject: str, start: datetime, end: datetime, **settings) -> dict:
    """A plain ``POST /onlineMeetings`` through the client's transport (token, retries, parsing);
    the product itself creates through ``$batch`` and ``createOrGet``."""
    body = GraphClient.meeting_body(subject, start, end, **settings)
    return client.request("POST", f"/users/{client.config.organizer_user_id}/onlineMeetings", body)


# -- authentication --------------------------------------------------------------------------------


def test_token_acquired_by_msal_via_discovery_and_token_endpoint(graph_emulator, graph_client):
    token = graph_client.acquire_token()

    assert token in graph_emulator.tokens
    kinds = [(r.method, r.kind, r.status) for r in graph_emulator.requests]
    assert kinds == [("GET", "discovery", 200), ("POST", "token", 200)]
    assert (
        graph_emulator.requests[0].path
        == f"/{graph_emulator.tenant_id}/v2.0/.well-known/openid-configuration"
    )
    assert graph_emulator.requests[1].path == f"/{graph_emulator.tenant_id}/oauth2/v2.0/token"
    assert graph_client.call_counts == {"identity": 2}


def test_token_reused_from_msal_cache_across_clients(graph_emulator, sleeps):
    first = GraphClient(graph_emulator.config(), sleep=sleeps)
    second = GraphClient(graph_emulator.config(), sleep=sleeps)

    create_meeting(first, "Uno", START, END)
    create_meeting(second, "Due", START, END)
    create_meeting(second, "Tre", START, END)

    assert graph_emulator.counters["token"] == 1
    assert graph_emulator.counters["discovery"] == 1
    assert second.calls == 2 and second.call_counts == {"graph": 2}


def test_bad_secret_raises_auth_error_with_aadsts_description(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(client_secret="not-the-secret"), sleep=sleeps)

    with pytest.raises(GraphAuthError) as excinfo:
        create_meeting(client, "Corso", START, END)

    assert excinfo.value.code == "invalid_client"
    assert "AADSTS7000215: Invalid client secret provided." in str(excinfo.value)
    assert graph_emulator.counters["graph"] == 0
    assert sleeps == []


def test_unknown_tenant_fails_discovery_with_auth_error(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(tenant_id="no-such-tenant"), sleep=sleeps)

    with pytest.raises(GraphAuthError, match="no-such-tenant"):
        client.acquire_token()


@pytest.mark.parametrize("with_thumbprint", [True, False], ids=["rs256-x5t", "ps256-x5t-s256"])
def test_certificate_credential_signs_assertion_accepted_by_emulator(graph_emulator, sleeps, with_thumbprint):
    pem_path, thumbprint = graph_emulator.make_client_certificate()
    config = graph_emulator.config(
        client_secret="",
        client_certificate_path=pem_path,
        client_certificate_thumbprint=thumbprint if with_thumbprint else "",
    )
    client = GraphClient(config, sleep=sleeps)

    meeting = create_meeting(client, "Con certificato", START, END)

    assert meeting["id"] in graph_emulator.meetings


def test_untrusted_tls_certificate_is_a_configuration_error(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(ca_bundle=""), sleep=sleeps)

    with pytest.raises(GraphConfigError, match="TEAMS_CA_BUNDLE"):
        client.acquire_token()
    assert sleeps == []  # not retried: it will not fix itself


def test_revoked_token_is_refreshed_once(graph_emulator, graph_client):
    create_meeting(graph_client, "Prima", START, END)
    graph_emulator.revoke_tokens()

    create_meeting(graph_client, "Dopo la revoca", START, END)

    assert graph_emulator.counters["token"] == 2
    assert [r.status for r in graph_emulator.graph_requests("POST")] == [201, 401, 201]


# -- configuration ---------------------------------------------------------------------------------


def test_incomplete_config_names_missing_settings():
    config = GraphConfig(tenant_id="t")

    assert not config.is_complete()
    with pytest.raises(GraphConfigError) as excinfo:
        GraphClient(config)
    message = str(excinfo.value)
    assert "TEAMS_CLIENT_ID" in message and "TEAMS_ORGANIZER_USER_ID" in message
    assert "TEAMS_CLIENT_SECRET or TEAMS_CLIENT_CERTIFICATE_PATH" in message
    assert "TEAMS_TENANT_ID" not in message


def test_config_from_settings_reads_teams_dict():
    settings = SimpleNamespace(
        TEAMS={
            "BACKEND": "graph",
            "TENANT_ID": "tenant",
            "CLIENT_ID": "client",
            "CLIENT_SECRET": "s3cret",
            "CLIENT_CERTIFICATE_PATH": "",
            "CLIENT_CERTIFICATE_THUMBPRINT": "",
            "ORGANIZER_USER_ID": "organizer",
            "AUTHORITY_URL": "https://login.microsoftonline.com",
            "GRAPH_BASE_URL": "https://graph.microsoft.com/v1.0",
            "CA_BUNDLE": "",
        }
    )

    config = GraphConfig.from_settings(settings)

    assert config.is_complete()
    assert (config.tenant_id, config.client_id, config.organizer_user_id) == ("tenant", "client", "organizer")
    assert config.verify is True
    assert "s3cret" not in repr(config)


# -- meetings --------------------------------------------------------------------------------------


def test_create_meeting_payload_as_seen_by_graph(graph_emulator, graph_client):
    meeting = create_meeting(graph_client, "Sicurezza sul lavoro", START, END)

    [request] = graph_emulator.graph_requests("POST")
    assert request.path == meetings_path(graph_emulator)
    assert request.headers["content-type"] == "application/json"
    assert request.body == {
        "subject": "Sicurezza sul lavoro",
        "startDateTime": "2030-03-04T08:30:00Z",  # 09:30 in Rome (CET) sent as UTC
        "endDateTime": "2030-03-04T10:30:00Z",
        "lobbyBypassSettings": {"scope": "organization", "isDialInBypassEnabled": False},
        "allowedPresenters": "roleIsPresenter",
        "allowedLobbyAdmitters": "organizerAndCoOrganizersAndPresenters",
        "participants": {"attendees": []},
    }
    assert meeting["joinWebUrl"].startswith("https://teams.microsoft.com/l/meetup-join/")
    assert graph_emulator.meetings[meeting["id"]]["subject"] == "Sicurezza sul lavoro"


def test_create_meeting_with_another_lobby_scope(graph_emulator, graph_client):
    create_meeting(graph_client,
        "Interno", START, END, lobby_scope="organizationAndFederated", dial_in_bypass=True,
    )

    [request] = graph_emulator.graph_requests("POST")
    assert request.body["lobbyBypassSettings"] == {"scope": "organizationAndFederated", "isDialInBypassEnabled": True}
    assert request.body["allowedPresenters"] == "roleIsPresenter"


def test_update_meeting_sends_start_and_end_together(graph_emulator, graph_client):
    meeting = create_meeting(graph_client, "Corso", START, END)
    new_start = START + timedelta(days=1)

    updated = graph_client.update_online_meeting(
        meeting["id"], subject="Corso (spostato)", start=new_start, end=new_start + timedelta(hours=3)
    )
    graph_client.update_online_meeting(meeting["id"], subject="Solo titolo")

    first, second = graph_emulator.graph_requests("PATCH")
    assert first.body == {
        "subject": "Corso (spostato)",
        "startDateTime": "2030-03-05T08:30:00Z",
        "endDateTime": "2030-03-05T11:30:00Z",
    }
    assert second.body == {"subject": "Solo titolo"}
    assert updated["endDateTime"].startswith("2030-03-05T11:30:00")
    assert graph_emulator.meetings[meeting["id"]]["subject"] == "Solo titolo"
    with pytest.raises(ValueError, match="together"):
        graph_client.update_online_meeting(meeting["id"], start=new_start)


def test_delete_meeting_and_already_gone(graph_emulator, graph_client):
    meeting = create_meeting(graph_client, "Corso", START, END)

    assert graph_client.delete_online_meeting(meeting["id"]) is True
    assert meeting["id"] not in graph_emulator.meetings
    assert graph_client.delete_online_meeting(meeting["id"]) is False
    assert [r.status for r in graph_emulator.graph_requests("DELETE")] == [204, 404]
    with pytest.raises(GraphNotFound):
        graph_client.request("GET", f"{meetings_path(graph_emulator)[len('/v1.0'):]}/{meeting['id']}")


@pytest.mark.parametrize(
    ("method", "body", "expected"),
    [
        (
            "POST",
            {"subject": "x", "endDateTime": "2030-01-01T10:00:00Z"},
            "'startDateTime' property is required",
        ),
        ("POST", {"startDateTime": "domani", "endDateTime": "2030-01-01T10:00:00Z"}, "Edm.DateTimeOffset"),
        (
            "POST",
            {"startDateTime": "2030-01-01T10:00:00Z", "endDateTime": "2030-01-01T09:00:00Z"},
            "must be after",
        ),
        (
            "POST",
            {"startDateTime": "2030-01-01T10:00:00", "endDateTime": "2030-01-01T11:00:00"},
            "UTC offset",
        ),
        (
            "POST",
            {
                "startDateTime": "2030-01-01T10:00:00Z",
                "endDateTime": "2030-01-01T11:00:00Z",
                "lobbyBypass": {},
            },
            "does not exist on type",
        ),
        ("PATCH", {"startDateTime": "2030-01-01T10:00:00Z"}, "must be updated together"),
    ],
)
def test_emulator_validation_surfaces_as_bad_request(graph_emulator, graph_client, method, body, expected):
    meeting = create_meeting(graph_client, "Corso", START, END)
    path = f"/users/{graph_emulator.organizer_user_id}/onlineMeetings"
    if method == "PATCH":
        path += f"/{meeting['id']}"

    with pytest.raises(GraphBadRequest) as excinfo:
        graph_client.request(method, path, body)

    assert excinfo.value.status == 400 and excinfo.value.code == "BadRequest"
    assert expected in str(excinfo.value)


def test_unknown_organizer_is_not_found(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(organizer_user_id="nobody"), sleep=sleeps)

    with pytest.raises(GraphNotFound, match="nobody"):
        create_meeting(client, "Corso", START, END)


def test_missing_access_policy_is_permission_error_with_hint(graph_emulator, graph_client):
    graph_emulator.revoke_access_policy()

    with pytest.raises(GraphPermissionError) as excinfo:
        create_meeting(graph_client, "Corso", START, END)

    assert excinfo.value.status == 403
    assert "Grant-CsApplicationAccessPolicy" in str(excinfo.value)


# -- retries ---------------------------------------------------------------------------------------


def test_429_retry_after_is_honoured(graph_emulator, graph_client, sleeps):
    graph_emulator.faults.throttle(2, retry_after=7)

    meeting = create_meeting(graph_client, "Corso", START, END)

    assert sleeps == [7.0, 7.0]
    assert [r.status for r in graph_emulator.graph_requests("POST")] == [429, 429, 201]
    assert list(graph_emulator.meetings) == [meeting["id"]]
    assert graph_client.call_counts["graph"] == 3  # retries are counted


def test_retry_after_is_capped(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(max_retry_after=5), sleep=sleeps)
    graph_emulator.faults.throttle(1, retry_after=3600)

    create_meeting(client, "Corso", START, END)

    assert sleeps == [5.0]


def test_503_is_retried_with_capped_backoff(graph_emulator, graph_client, sleeps):
    graph_emulator.faults.unavailable(3)

    create_meeting(graph_client, "Corso", START, END)

    assert [r.status for r in graph_emulator.graph_requests("POST")] == [503, 503, 503, 201]
    assert len(sleeps) == 3
    assert all(0 < s <= 2.0 for s in sleeps)
    assert sleeps[2] > sleeps[0] / 2  # grows (with jitter) until the cap


def test_exhausting_retries_on_429_raises_throttled(graph_emulator, graph_client, sleeps):
    graph_emulator.faults.throttle(10, retry_after=2)

    with pytest.raises(GraphThrottledError) as excinfo:
        create_meeting(graph_client, "Corso", START, END)

    assert excinfo.value.retry_after == 2
    assert len(graph_emulator.graph_requests("POST")) == 4  # 1 + max_retries
    assert sleeps == [2.0, 2.0, 2.0]
    assert graph_emulator.meetings == {}


def test_exhausting_retries_on_5xx_raises_unavailable(graph_emulator, graph_client):
    graph_emulator.faults.unavailable(10, status=502)

    with pytest.raises(GraphUnavailableError, match="Giving up after 4 attempts"):
        create_meeting(graph_client, "Corso", START, END)


def test_timeouts_are_retried_then_reported(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(timeout=0.2, max_retries=1), sleep=sleeps)
    client.acquire_token()
    graph_emulator.faults.delay = 0.5

    with pytest.raises(GraphUnavailableError, match="unreachable after 2 attempts"):
        client.request("GET", meetings_path(graph_emulator)[len("/v1.0"):] + "/lento")
    assert len(sleeps) == 1
    # A POST that timed out may have been applied: it is reported, never repeated.
    with pytest.raises(GraphUnavailableError, match="outcome unknown"):
        create_meeting(client, "Lento", START, END)
    assert len(sleeps) == 1


def test_on_request_hook_sees_every_call(graph_emulator, sleeps):
    seen: list[tuple[str, str, int | None]] = []
    client = GraphClient(
        graph_emulator.config(),
        sleep=sleeps,
        on_request=lambda method, url, status, elapsed: seen.append((method, url, status)),
    )
    graph_emulator.faults.throttle(1, retry_after=1)

    create_meeting(client, "Corso", START, END)

    assert [(m, s) for m, _, s in seen] == [("GET", 200), ("POST", 200), ("POST", 429), ("POST", 201)]
    assert seen[-1][1] == graph_emulator.graph_base_url + meetings_path(graph_emulator)[len("/v1.0") :]
    assert client.calls == 4


# -- attendance ------------------------------------------------------------------------------------


def test_attendance_reports_and_records_are_paged(graph_emulator, graph_client):
    meeting = create_meeting(graph_client, "Corso", START, END)
    for day in range(7):
        graph_emulator.add_attendance_report(meeting["id"], report_id=f"report-{day}")
    records = [{"email": f"persona{i}@coop.it", "seconds": 600 + i, "name": f"Persona {i}"} for i in range(8)]
    records.append(
        {
            "email": "ospite@example.org",
            "intervals": [
                {"join": START, "leave": START + timedelta(minutes=30)},
                {"join": START + timedelta(minutes=45), "leave": START + timedelta(minutes=90)},
            ],
        }
    )
    graph_emulator.add_attendance_report(meeting["id"], records, report_id="with-people")

    reports = graph_client.list_attendance_reports(meeting["id"])
    people = graph_client.list_attendance_records(meeting["id"], "with-people")

    assert [r["id"] for r in reports] == [f"report-{d}" for d in range(7)] + ["with-people"]
    assert len(people) == 9
    guest = people[-1]
    assert guest["emailAddress"] == "ospite@example.org"
    assert guest["totalAttendanceInSeconds"] == 75 * 60
    assert [i["durationInSeconds"] for i in guest["attendanceIntervals"]] == [1800, 2700]
    assert people[0]["identity"]["displayName"] == "Persona 0" and people[0]["role"] == "Attendee"
    gets = graph_emulator.graph_requests("GET")
    assert len(gets) == 3 + 3  # 8 reports and 9 records in pages of 3
    assert [r.query.get("$skiptoken") for r in gets[:3]] == [None, ["3"], ["6"]]


def test_empty_report_and_no_reports_yet(graph_emulator, graph_client):
    meeting = create_meeting(graph_client, "In corso", START, END)

    assert graph_client.list_attendance_reports(meeting["id"]) == []
    report = graph_emulator.add_attendance_report(meeting["id"], [])
    assert graph_client.list_attendance_records(meeting["id"], report["id"]) == []
    graph_emulator.add_attendance_records(report["id"], [{"email": "tardi@coop.it", "seconds": 60}])
    assert [r["emailAddress"] for r in graph_client.list_attendance_records(meeting["id"], report["id"])] == [
        "tardi@coop.it"
    ]


def test_attendance_for_unknown_meeting_is_not_found(graph_client):
    with pytest.raises(GraphNotFound):
        graph_client.list_attendance_reports("does-not-exist")


# -- batching --------------------------------------------------------------------------------------


def batch_items(count: int) -> list[dict]:
    return [
        {"subject": f"Sessione {i}", "start": START + timedelta(days=i), "end": END + timedelta(days=i)}
        for i in range(count)
    ]


def test_batch_of_45_creations_uses_3_batches_and_keeps_order(graph_emulator, graph_client):
    meetings = graph_client.create_online_meetings_batch(batch_items(45))

    assert [m["subject"] for m in meetings] == [f"Sessione {i}" for i in range(45)]
    assert all(m["joinWebUrl"] for m in meetings)
    batches = [r for r in graph_emulator.requests if r.kind == "batch"  # the createOrGet batches
               and r.body["requests"][0]["method"] == "POST"]
    assert [len(b.body["requests"]) for b in batches] == [20, 20, 5]
    first = batches[0].body["requests"][0]
    assert first["method"] == "POST"
    assert first["url"] == f"/users/{graph_emulator.organizer_user_id}/onlineMeetings/createOrGet"
    assert first["headers"] == {"Content-Type": "application/json", "Prefer": "include-unknown-enum-members"}
    assert first["body"]["startDateTime"] == "2030-03-04T08:30:00Z"
    assert len(graph_emulator.meetings) == 45


def test_batch_inner_429_is_retried_in_a_smaller_batch(graph_emulator, graph_client, sleeps):
    graph_emulator.faults.throttle(3, retry_after=4)

    meetings = graph_client.create_online_meetings_batch(batch_items(25))

    assert len(meetings) == 25 and len(graph_emulator.meetings) == 25
    batches = [r for r in graph_emulator.requests if r.kind == "batch"  # the createOrGet batches
               and r.body["requests"][0]["method"] == "POST"]
    assert [len(b.body["requests"]) for b in batches] == [20, 5, 3]
    assert [r["id"] for r in batches[2].body["requests"]] == ["0", "1", "2"]
    assert sleeps == [4.0]
    assert [m["subject"] for m in meetings] == [f"Sessione {i}" for i in range(25)]


def test_batch_item_errors_keep_created_meetings(graph_emulator, graph_client):
    graph_emulator.faults.malformed(1, "missing-join-url")

    with pytest.raises(GraphBatchError) as excinfo:
        graph_client.create_online_meetings_batch(batch_items(4))

    error = excinfo.value
    assert list(error.errors) and isinstance(next(iter(error.errors.values())), GraphResponseError)
    assert sum(r is not None for r in error.results) == 3
    assert "joinWebUrl" in str(error)


def test_batch_inner_4xx_returned_per_item(graph_emulator, graph_client):
    path = f"/users/{graph_emulator.organizer_user_id}/onlineMeetings"
    responses = graph_client.batch(
        [
            {"method": "POST", "url": path, "body": {"startDateTime": "2030-01-01T10:00:00Z"}},
            {"method": "GET", "url": f"{path}/missing"},
            {"method": "POST", "url": path, "body": GraphClient.meeting_body("Ok", START, END)},
        ]
    )

    assert [r.status for r in responses] == [400, 404, 201]
    assert isinstance(responses[0].error, GraphBadRequest) and responses[0].error.code == "BadRequest"
    assert isinstance(responses[1].error, GraphNotFound)
    assert responses[2].ok and responses[2].body["subject"] == "Ok"


def test_batch_items_that_stay_throttled_are_errors_beside_the_created_ones(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(max_retries=1), sleep=sleeps)
    # Round one: all three inner requests get 429; round two: items 0 and 1 get 429 again and
    # exhaust max_retries=1, item 2 is created.
    graph_emulator.faults.throttle(5, retry_after=1)

    with pytest.raises(GraphBatchError) as excinfo:
        client.create_online_meetings_batch(batch_items(3))

    assert [m is None for m in excinfo.value.results] == [True, True, False]
    assert excinfo.value.errors[0].code == "TooManyRequests" and excinfo.value.errors[0].status == 429
    assert excinfo.value.results[2]["subject"] == "Sessione 2"
    assert sleeps == [1.0]
    assert len(graph_emulator.meetings) == 1


def test_emulator_rejects_batches_over_20(graph_emulator, graph_client):
    path = f"/users/{graph_emulator.organizer_user_id}/onlineMeetings"
    payload = {"requests": [{"id": str(i), "method": "GET", "url": path} for i in range(21)]}

    with pytest.raises(GraphBadRequest, match="exceeds the limit of 20"):
        graph_client.request("POST", "/$batch", payload)


def test_random_faults_on_outer_and_inner_requests_are_absorbed(graph_emulator, sleeps):
    client = GraphClient(graph_emulator.config(max_retries=8), sleep=sleeps, rng=random.Random(7))
    graph_emulator.faults.fail_rate = 0.25
    graph_emulator.faults.seed(42)
    started = time.monotonic()

    singles = [create_meeting(client, f"Singolo {i}", START, END) for i in range(10)]
    batched = client.create_online_meetings_batch(batch_items(30))

    assert len(graph_emulator.meetings) == 40 == len(singles) + len(batched)
    assert graph_emulator.faults.injected[429] > 0 and graph_emulator.faults.injected[503] > 0
    assert time.monotonic() - started < 5


# -- malformed responses ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["not-json", "truncated"])
def test_malformed_body_is_response_error(graph_emulator, graph_client, mode):
    graph_emulator.faults.malformed(1, mode)

    with pytest.raises(GraphResponseError, match="not JSON"):
        create_meeting(graph_client, "Corso", START, END)


def test_missing_join_url_is_response_error(graph_emulator, graph_client):
    graph_emulator.faults.malformed(1, "missing-join-url")

    with pytest.raises(GraphResponseError, match="lacks joinWebUrl"):
        graph_client.create_or_get_online_meeting("academy-session-1", "Corso", START, END)


def test_naive_datetimes_are_refused(graph_client):
    with pytest.raises(ValueError, match="aware"):
        create_meeting(graph_client, "Corso", datetime(2030, 1, 1, 9), datetime(2030, 1, 1, 10))


def test_utc_conversion_is_exact():
    body = GraphClient.meeting_body(
        "x", datetime(2030, 7, 1, 9, tzinfo=ROME), datetime(2030, 7, 1, 10, tzinfo=UTC)
    )
    assert (body["startDateTime"], body["endDateTime"]) == ("2030-07-01T07:00:00Z", "2030-07-01T10:00:00Z")
