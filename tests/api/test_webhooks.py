"""Webhooks against a real HTTP receiver on loopback: signed, at least once, in order per subject,
retried after a failure, scoped to the endpoint's organisation; SSRF targets refused by default."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from academy.api import webhooks
from academy.api.models import WebhookEvent
from academy.registrations import services

pytestmark = pytest.mark.django_db


class Receiver:
    """A loopback HTTP server that records what it receives; ``fail`` makes it answer 503."""

    def __init__(self):
        self.received: list[tuple[dict, dict]] = []
        self.fail = False
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.fail:
                    self.send_response(503)
                    self.end_headers()
                    return
                outer.received.append((dict(self.headers), json.loads(body), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    server = Receiver()
    yield server
    server.close()


def test_private_and_plain_http_targets_are_refused_by_default(settings, staff_user):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    for url in ("http://example.org/hook", "https://127.0.0.1/hook", "https://10.0.0.1/hook", "https://[::1]/x"):
        with pytest.raises(ValidationError):
            webhooks.create_endpoint(by=staff_user, organisation=None, url=url, events=["registration.confirmed"])


def test_only_staff_or_the_organisations_officer_manage_its_webhooks(site, receiver, make_person, hr_officer):
    officer = hr_officer()
    nazareth = site.organisations["Cooperativa Nazareth"]
    with pytest.raises(PermissionDenied):
        webhooks.create_endpoint(by=officer, organisation=nazareth, url=receiver.url, events=["certificate.issued"])
    with pytest.raises(PermissionDenied):
        webhooks.create_endpoint(by=officer, organisation=None, url=receiver.url, events=["certificate.issued"])


def test_registrations_are_delivered_signed_in_order_and_retried_after_a_failure(
        site, receiver, hr_officer, make_course, make_person, django_capture_on_commit_callbacks):
    officer = hr_officer()
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    endpoint = webhooks.create_endpoint(by=officer, organisation=gamma, url=receiver.url,
                                        events=["registration.confirmed", "registration.cancelled"])
    course = make_course()
    worker, outsider = make_person(org=gamma), make_person(org=site.organisations["Cooperativa Nazareth"])
    receiver.fail = True
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(worker, course, by=worker.user)
        services.register(outsider, course, by=outsider.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration, by=worker.user)
    assert receiver.received == []
    assert list(WebhookEvent.objects.values_list("type", "status", "attempts")) == [
        ("registration.confirmed", "pending", 1), ("registration.cancelled", "pending", 0)]  # waits its turn
    receiver.fail = False
    WebhookEvent.objects.update(next_attempt_at=None)
    assert webhooks.deliver_pending() == 2
    assert [body["type"] for _h, body, _raw in receiver.received] == ["registration.confirmed",
                                                                      "registration.cancelled"]
    headers, body, raw = receiver.received[0]
    assert body["data"] == {"registration": registration.pk, "course": course.pk, "person": worker.pk,
                            "status": "confirmed", "links": body["data"]["links"]}
    assert outsider.email not in raw.decode() and worker.email not in raw.decode()
    timestamp = headers["Academy-Signature"].split(",")[0].removeprefix("t=")
    expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    assert headers["Academy-Signature"] == f"t={timestamp},v1={expected}"
    assert headers["Academy-Event-Id"] == body["id"]
    assert webhooks.deliver_pending() == 0  # nothing delivered twice


def test_the_page_adds_a_webhook_and_sends_a_test_event(client, site, receiver, hr_officer,
                                                        django_capture_on_commit_callbacks):
    officer = hr_officer()
    client.force_login(officer)
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    response = client.post(reverse("api_tokens:webhooks"), {
        "url": receiver.url, "organisation": str(gamma.pk), "events": ["certificate.issued"]})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("api_tokens:webhooks")
    endpoint = webhooks.endpoints_for(officer).get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("api_tokens:webhook_action", args=[endpoint.pk, "test"]))
    assert [body["type"] for _h, body, _raw in receiver.received] == ["test"]
    page = client.get(reverse("api_tokens:webhooks"))
    assert endpoint.secret.encode() in page.content and b"test" in page.content


def test_a_member_without_an_organisation_role_has_no_webhook_page(client, make_person):
    client.force_login(make_person().user)
    assert client.get(reverse("api_tokens:webhooks")).status_code == 404
