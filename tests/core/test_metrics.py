"""``/metrics`` is never public (token or staff), carries request metrics and the Academy's own figures
(outbox by status, registrations, certificates, Graph calls by status); ``/readyz`` covers storage and
reports an outbox backlog without failing readiness; every response carries a request id."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.contrib.auth import get_user_model

from academy.core.logging import JsonFormatter, RequestIdFilter
from academy.core.metrics import graph_request
from academy.core.models import OutboxMessage
from academy.core.outbox import queue_email
from academy.registrations import services

pytestmark = pytest.mark.django_db


def value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{sample} not in metrics")


def test_metrics_are_refused_to_anonymous_and_members_and_given_to_staff(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code in (302, 403)
    member = get_user_model().objects.create_user("m@example.org", "m@example.org", "pw-12345!")
    client.force_login(member)
    assert client.get("/metrics").status_code == 403
    staff = get_user_model().objects.create_user("s@example.org", "s@example.org", "pw-12345!", is_staff=True)
    client.force_login(staff)
    response = client.get("/metrics")
    assert response.status_code == 200 and b"django_http_requests_total_by_method_total" in response.content


def test_a_scraper_with_the_token_reads_the_academy_figures(client, settings, make_course, make_person):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    course = make_course(capacity=1)
    services.register(make_person(), course)
    services.register(make_person(), course)
    failed = queue_email("test:metrics:1", "x@example.org", "S", "B")
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxMessage.Status.FAILED)
    graph_request("graph", 429)
    graph_request("graph", 429)
    graph_request("identity", None)
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert value(text, 'academy_registrations{status="confirmed"}') == 1
    assert value(text, 'academy_registrations{status="waiting"}') == 1
    assert value(text, 'academy_outbox_messages{status="failed"}') == 1
    assert value(text, 'academy_graph_requests_total{kind="graph",status="429"}') >= 2
    assert value(text, 'academy_graph_requests_total{kind="identity",status="connection_error"}') >= 1
    assert 'academy_certificates_issued_total{status="valid"}' in text
    assert "django_http_requests_latency_seconds_by_view_method" in text


def test_readiness_covers_storage_and_reports_an_outbox_backlog_without_failing(client, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    body = client.get("/readyz").json()
    assert body["storage"] == "ok" and body["outbox"] == "ok" and body["ready"] is True
    message = queue_email("test:backlog", "x@example.org", "S", "B")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED, created_at=message.created_at - datetime.timedelta(hours=1))
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["outbox"].startswith("backlog (1 older")
    (tmp_path / "a-file").write_text("not a folder")
    settings.PRIVATE_ROOT = tmp_path / "a-file" / "private"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["storage"].startswith("down (")


def test_every_response_and_log_record_carries_the_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert response["X-Request-ID"] == "abcdef0123456789"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]
    assert len(generated) == 32 and generated != "bad id\n"
    record = logging.LogRecord("academy", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello world" and line["request_id"] == "-" and line["level"] == "INFO"


def test_errors_reach_sentry_when_a_dsn_is_set_and_carry_no_personal_data(tmp_path):
    """A real sentry-sdk client, configured by the settings from SENTRY_DSN, posts an error envelope
    to a collector on loopback (a tiny HTTP server standing in for Sentry's ingestion endpoint)."""
    import http.server
    import os
    import subprocess
    import sys
    import threading
    from pathlib import Path

    received: list[tuple[str, bytes]] = []

    class Collector(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                import gzip

                data = gzip.decompress(data)
            elif encoding == "br":
                import brotli

                data = brotli.decompress(data)
            received.append((self.path, data))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {**os.environ, "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_address[1]}/42",
               "DJANGO_SETTINGS_MODULE": "academy.settings"}
        code = ("import django, sentry_sdk; django.setup(); "
                "sentry_sdk.capture_exception(RuntimeError('boom for sentry')); sentry_sdk.flush(5)")
        subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
                       check=True, timeout=60, capture_output=True)
    finally:
        server.shutdown()
    assert received and received[0][0] == "/api/42/envelope/"
    body = b"".join(payload for _path, payload in received)
    assert b"boom for sentry" in body and b'"send_default_pii":true' not in body
