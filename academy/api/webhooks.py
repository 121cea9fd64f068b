"""Webhooks: endpoints, events written with the change that caused them, signed delivery at least once,
in order per subject, retried with backoff. The one home of webhook rules (pages, tasks, receivers).

Signature (``Academy-Signature: t=<unix time>,v1=<hex>``): HMAC-SHA256 with the endpoint's secret over
``"<t>.<body>"``, so a receiver can refuse replays older than a few minutes. ``Academy-Event-Id`` is the
event's stable id: a receiver that sees it twice (a retry after a lost answer) ignores the second.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from academy.core.permissions import is_staff
from academy.network.models import HROfficer, Organisation, Person

from .models import WebhookEndpoint, WebhookEvent

EVENT_LABELS = {  # what the webhooks page shows beside each type
    "registration.confirmed": gettext_lazy("Registration confirmed"),
    "registration.waiting": gettext_lazy("Registration on the waiting list"),
    "registration.pending": gettext_lazy("Registration awaiting approval"),
    "registration.cancelled": gettext_lazy("Registration cancelled"),
    "certificate.issued": gettext_lazy("Certificate issued"),
    "certificate.revoked": gettext_lazy("Certificate revoked"),
    "attendance.imported": gettext_lazy("Attendance imported"),
    "obligation.status_changed": gettext_lazy("Mandatory training status changed"),
}
EVENT_TYPES = tuple(EVENT_LABELS)
TEST_EVENT = "test"
TIMEOUT = (3.05, 10)  # connect, read (seconds)
LEASE = datetime.timedelta(seconds=60)  # a claimed event left by a killed worker is retried after this
GIVE_UP_AFTER = datetime.timedelta(days=3)
MAX_BACKOFF = datetime.timedelta(hours=6)


def private_targets_allowed() -> bool:
    """Loopback and private addresses are refused unless the operator allows them (embedded demo, tests)."""
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", settings.DEBUG))


def validate_target(url: str) -> None:
    """HTTPS to a public address (SSRF: no loopback, private, link-local or reserved address)."""
    parts = urlsplit(url)
    allow_private = private_targets_allowed()
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError(_("Use an https:// address."))
    if not parts.hostname:
        raise ValidationError(_("The address has no host."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(_("The host %(host)s cannot be found.") % {"host": parts.hostname}) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global and not allow_private:
            raise ValidationError(_("Addresses on private or local networks are not allowed."))


def may_manage(user, organisation: Organisation | None) -> bool:
    if is_staff(user):
        return True
    return organisation is not None and HROfficer.objects.filter(user=user, organisation=organisation).exists()


def endpoints_for(user):
    if is_staff(user):
        return WebhookEndpoint.objects.select_related("organisation")
    return WebhookEndpoint.objects.filter(
        organisation__in=HROfficer.objects.filter(user=user).values("organisation_id")).select_related("organisation")


def create_endpoint(*, by, organisation: Organisation | None, url: str, events: list[str]) -> WebhookEndpoint:
    if not may_manage(by, organisation):
        raise PermissionDenied
    unknown = set(events) - set(EVENT_TYPES)
    if not events or unknown:
        raise ValidationError(_("Choose at least one event among: %(known)s.") % {"known": ", ".join(EVENT_TYPES)})
    validate_target(url)
    return WebhookEndpoint.objects.create(organisation=organisation, url=url, secret=secrets.token_hex(32),
                                          events=",".join(sorted(events)), created_by=by)


def delete_endpoint(endpoint: WebhookEndpoint, *, by) -> None:
    if not may_manage(by, endpoint.organisation):
        raise PermissionDenied
    endpoint.delete()


def subscribed(event_type: str) -> list[WebhookEndpoint]:
    """The active endpoints that asked for ``event_type``."""
    return [e for e in WebhookEndpoint.objects.filter(active=True) if event_type in e.event_types]


def visible_people(endpoint: WebhookEndpoint, person_ids: list[int]) -> list[int]:
    """Those of ``person_ids`` the endpoint may hear about (sorted): all for staff's, else its subtree's."""
    if endpoint.organisation_id is None:
        return sorted(person_ids)
    return sorted(Person.objects.filter(pk__in=person_ids, organisation__in=Organisation.objects.subtree_of(
        [endpoint.organisation_id])).values_list("pk", flat=True))


def _write(endpoint: WebhookEndpoint, event_type: str, subject: str, data: dict) -> WebhookEvent:
    return WebhookEvent.objects.create(uuid=uuid.uuid4(), endpoint=endpoint, type=event_type, subject=subject,
                                       payload=data)


def emit(event_type: str, subject: str, data: dict, *, person=None) -> int:
    """Write the event for every endpoint that wants it and may see ``person`` (inside the caller's
    transaction); delivery starts when it commits. Returns how many were written."""
    written = 0
    for endpoint in subscribed(event_type):
        if endpoint.organisation_id is None or (person is not None and visible_people(endpoint, [person.pk])):
            _write(endpoint, event_type, subject, data)
            written += 1
    if written:
        transaction.on_commit(_enqueue_delivery, robust=True)
    return written


def emit_about(event_type: str, subject: str, person_ids: list[int], data_for: Callable[[list[int]], dict]) -> int:
    """Like ``emit`` for an event about several people: each endpoint gets ``data_for(the people it may
    see)``; an organisation's endpoint gets nothing when none of them is in its subtree."""
    written = 0
    for endpoint in subscribed(event_type):
        visible = visible_people(endpoint, person_ids)
        if visible or endpoint.organisation_id is None:
            _write(endpoint, event_type, subject, data_for(visible))
            written += 1
    if written:
        transaction.on_commit(_enqueue_delivery, robust=True)
    return written


def send_test_event(endpoint: WebhookEndpoint, *, by) -> WebhookEvent:
    if not may_manage(by, endpoint.organisation):
        raise PermissionDenied
    event = WebhookEvent.objects.create(uuid=uuid.uuid4(), endpoint=endpoint, type=TEST_EVENT,
                                        subject=f"test:{endpoint.pk}", payload={"message": "test"})
    transaction.on_commit(_enqueue_delivery, robust=True)
    return event


def body_of(event: WebhookEvent) -> bytes:
    return json.dumps({"id": str(event.uuid), "type": event.type, "created_at": event.created_at,
                       "data": event.payload}, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def _enqueue_delivery() -> None:
    try:
        deliver_webhooks_task.enqueue()
    except Exception:  # the periodic step delivers it later
        pass


def _claim(event: WebhookEvent, now) -> bool:
    """Take the event for this worker for ``LEASE`` (one committed UPDATE)."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(WebhookEvent.objects.filter(due, pk=event.pk, status=WebhookEvent.Status.PENDING).update(
        next_attempt_at=now + LEASE))


def _post(event: WebhookEvent) -> tuple[int | None, str]:
    body = body_of(event)
    timestamp = int(time.time())
    try:
        validate_target(event.endpoint.url)  # again: the name may resolve elsewhere now
        response = requests.post(event.endpoint.url, data=body, timeout=TIMEOUT, allow_redirects=False, headers={
            "Content-Type": "application/json", "Academy-Event-Id": str(event.uuid), "Academy-Event-Type": event.type,
            "Academy-Signature": f"t={timestamp},v1={signature(event.endpoint.secret, timestamp, body)}"})
    except (requests.RequestException, ValidationError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    return response.status_code, "" if 200 <= response.status_code < 300 else response.text[:300]


def deliver_pending(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Deliver due events, oldest first; an event waits while an earlier one of its subject (same
    endpoint) is not delivered. Sends happen outside any transaction. Returns how many were delivered."""
    now = now or timezone.now()
    blocked: set[tuple[int, str]] = set()
    delivered = 0
    events = WebhookEvent.objects.filter(status=WebhookEvent.Status.PENDING).select_related("endpoint").order_by("pk")
    for event in events[:limit]:
        key = (event.endpoint_id, event.subject)
        if key in blocked:
            continue
        if (event.next_attempt_at and event.next_attempt_at > now) or not _claim(event, now):
            blocked.add(key)
            continue
        status, error = _post(event)
        attempts = event.attempts + 1
        if status is not None and 200 <= status < 300:
            WebhookEvent.objects.filter(pk=event.pk).update(status=WebhookEvent.Status.SENT, attempts=attempts,
                                                            delivered_at=timezone.now(), last_status=status,
                                                            last_error="", next_attempt_at=None)
            delivered += 1
            continue
        blocked.add(key)
        gave_up = now - event.created_at > GIVE_UP_AFTER
        delay = min(datetime.timedelta(seconds=30 * 2 ** min(attempts - 1, 16)), MAX_BACKOFF)
        WebhookEvent.objects.filter(pk=event.pk).update(
            status=WebhookEvent.Status.FAILED if gave_up else WebhookEvent.Status.PENDING, attempts=attempts,
            last_status=status, last_error=error, next_attempt_at=None if gave_up else now + delay)
    return delivered


@task()
def deliver_webhooks_task() -> int:
    return deliver_pending()
