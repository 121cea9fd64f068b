"""Queue e-mails in the outbox and deliver them at least once, with a stable Message-ID.

``queue_email`` is called inside the business transaction; delivery happens after commit through a
background task on the ``email`` queue (ahead of bulk work), and ``manage.py send_outbox`` / the
scheduler retry failures with exponential backoff (``OutboxMessage.retry_policy``, see
``academy.core.retrying``) until ``MAX_ATTEMPTS``, after which the message is marked undelivered and staff
are alerted (``outbox_alerts``). A crash between the SMTP
server accepting a message and the row being marked sent means it is sent again: every attempt carries
the same Message-ID, so receiving servers can drop the duplicate.
``queue_email_later`` records a message that the delivering worker renders first (see ``render``):
the request that causes it pays for one INSERT, not for templates, calendar files or join links. The
row names its kind of message; the app that owns the kind answers the ``email_rendering`` signal.
A message is claimed by one committed UPDATE before it is sent, outside any transaction, and the
outcome is recorded afterwards (``deliver``): two senders never send the same one, and a slow or silent
mail server holds no database lock.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import smtplib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import task

from .models import OutboxMessage
from .storage import PrivateStorage

MAX_ATTEMPTS = OutboxMessage.retry_policy.max_attempts
EMAIL_QUEUE = "email"  # delivery tasks: workers listen to it before the bulk "default" queue
retry_delay = OutboxMessage.retry_policy.delay


def stable_message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt of one outbox row (from its id and key and the site's domain),
    so a receiving server can recognise a resent duplicate."""
    domain = urlsplit(settings.SITE_URL).hostname or "academy.invalid"
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:16]
    return f"<outbox.{message.pk}.{digest}@{domain}>"


@dataclass(frozen=True)
class Attachment:
    """``content``, or ``private_name``: a file of the private storage read at delivery (a certificate's
    stored PDF), so the row does not keep a second, base64 copy of it."""

    filename: str
    content: bytes
    content_type: str
    private_name: str = ""


@dataclass(frozen=True)
class RenderedEmail:
    """What a renderer returns for a message queued with ``queue_email_later``."""

    subject: str
    body: str
    attachments: Sequence[Attachment] = ()
    html_body: str = ""


def _encode(attachments: Sequence[Attachment]) -> list[dict]:
    return [{"filename": a.filename, "content_type": a.content_type, "private_name": a.private_name}
            if a.private_name else
            {"filename": a.filename, "content_type": a.content_type,
             "content": base64.b64encode(a.content).decode("ascii")} for a in attachments]


def _content(item: dict) -> bytes:
    if item.get("private_name"):
        with PrivateStorage().open(item["private_name"], "rb") as fh:
            return fh.read()
    return base64.b64decode(item["content"])


def queue_email(key: str, to: str, subject: str, body: str, *, html_body: str = "",
                attachments: list[Attachment] | tuple = ()) -> OutboxMessage:
    """Record a message once per key (a second call with the same key returns the first message)
    and schedule its delivery after the surrounding transaction commits.

    Exactly-once rests on the unique key: of two concurrent callers only the one whose row was inserted
    schedules the delivery; the other waits for the first transaction and then reads its row.
    """
    return _queue(key=key, to=to, subject=subject[:300], body=body, html_body=html_body,
                  attachments=_encode(attachments))


#: Sent by the delivering worker with ``kind`` and ``context`` of a message queued with ``queue_email_later``;
#: the receiver that owns ``kind`` returns its ``RenderedEmail``, every other one None.
email_rendering = Signal()


class NoRenderer(LookupError):
    """No receiver of ``email_rendering`` writes this kind of message."""


def queue_email_later(key: str, to: str, kind: str, context: dict) -> OutboxMessage:
    """Record a message once per key, to be rendered by the worker that delivers it.

    ``kind`` names the kind of message (``"registration"``); its owner answers ``email_rendering`` with
    the JSON-serialisable ``context``, at delivery, with the data as they are then (a join link created
    meanwhile, a waiting-list position that moved). Same exactly-once guarantees as ``queue_email``: the
    key is recorded in the caller's transaction.
    """
    return _queue(key=key, to=to, renderer=kind, context=context)


# Inside a scheduler pass the messages its steps queue are left to the pass's last step (``deliver_pending``,
# see ``academy.core.periodic``): with tasks run in process a send would otherwise happen inside the step,
# and a silent mail server would hold up the reminders, digests and Teams work queued after it.
_deferred: ContextVar[bool] = ContextVar("academy_outbox_deferred", default=False)


@contextlib.contextmanager
def deferred_delivery() -> Iterator[None]:
    """Queue messages without scheduling their delivery task; ``deliver_pending`` sends them."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def _queue(**fields) -> OutboxMessage:
    try:
        with transaction.atomic():  # a savepoint: a key already recorded leaves the caller's transaction usable
            message = OutboxMessage.objects.create(**fields)
    except IntegrityError:
        return OutboxMessage.objects.get(key=fields["key"])
    if not _deferred.get():
        transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def _enqueue_delivery(message_id: int) -> None:
    try:
        deliver_message_task.enqueue(message_id)
    except Exception:  # the scheduler's send_outbox picks it up later
        pass


def render(message: OutboxMessage) -> OutboxMessage:
    """Write a message queued with ``queue_email_later`` (no-op for one already written) and keep the
    text, so that a retry sends exactly what the first attempt did. Also used to preview a message."""
    if not message.renderer:
        return message
    answers = [answer for _receiver, answer in email_rendering.send(
        sender=OutboxMessage, kind=message.renderer, context=message.context) if answer is not None]
    if not answers:
        raise NoRenderer(message.renderer)
    rendered: RenderedEmail = answers[0]
    message.subject, message.body = rendered.subject[:300], rendered.body
    message.html_body, message.attachments = rendered.html_body, _encode(rendered.attachments)
    message.renderer = ""
    if message.pk:
        message.save(update_fields=["subject", "body", "html_body", "attachments", "renderer"])
    return message


def claim_period() -> datetime.timedelta:
    """How long a claimed message is left to its sender before another may take it over: longer than
    any send can last (every SMTP step waits at most ``EMAIL_TIMEOUT``), short enough that a message
    whose worker was killed mid-send goes out a minute or two later."""
    return datetime.timedelta(seconds=max(60.0, 6 * float(settings.EMAIL_TIMEOUT or 10)))


def _claim(message_id: int) -> OutboxMessage | None:
    """Take the message for this sender (one UPDATE, committed at once): pending, failed, or claimed
    by a sender that did not finish within ``claim_period``. None if it is not there to take."""
    now = timezone.now()
    claimable = (Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED])
                 | Q(status=OutboxMessage.Status.SENDING, claimed_until__lt=now))
    with transaction.atomic():
        taken = OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxMessage.Status.SENDING, claimed_until=now + claim_period(), attempts=F("attempts") + 1)
    return OutboxMessage.objects.filter(pk=message_id).first() if taken else None


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                                   [message.to], headers={"Message-ID": stable_message_id(message)})
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for item in message.attachments:
        email.attach(item["filename"], _content(item), item["content_type"])
    return email


class ServerSilent(Exception):
    """The mail server could not be reached or did not answer in time: later messages of this batch
    would only wait as long again, so the batch stops (``deliver_pending``)."""


def deliver(message_id: int) -> bool:
    """Send one message (writing it first if it was queued for rendering); True if it is (now or
    already) sent.

    Claim, commit, send, record: the claim is a committed UPDATE, the send happens outside any
    transaction (a slow or silent mail server holds no lock and no connection in a transaction), and
    the outcome is recorded in a second short statement. Two senders never both hold the claim.
    """
    try:
        return _deliver(message_id)
    except ServerSilent:  # recorded as a failed attempt, retried later
        return False


def _deliver(message_id: int) -> bool:
    message = _claim(message_id)
    if message is None:
        return OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.SENT).exists()
    try:
        render(message)
    except Exception as exc:  # e.g. the registration was erased meanwhile: record why, retry later
        _failed(message, f"rendering: {type(exc).__name__}: {exc}")
        return False
    try:
        _email(message).send()
    except (TimeoutError, ConnectionError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
        _failed(message, f"{type(exc).__name__}: {exc}")
        raise ServerSilent(str(exc)) from exc
    except Exception as exc:  # refused, bad address, ...: keep it for a retry
        _failed(message, f"{type(exc).__name__}: {exc}")
        return False
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None,
        claimed_until=None)
    return True


def _failed(message: OutboxMessage, error: str) -> None:
    """Record a failed attempt: retry after the backoff delay, or give up after the last attempt."""
    message.record_failure(error, timezone.now())
    status = OutboxMessage.Status.FAILED if message.next_attempt_at else OutboxMessage.Status.UNDELIVERED
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        status=status, next_attempt_at=message.next_attempt_at, last_error=message.last_error, claimed_until=None)


def due(now: datetime.datetime | None = None):
    """The messages to try now: pending, failed and past their backoff delay, or claimed by a sender
    that never finished."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.PENDING)
        | Q(OutboxMessage.due_filter(now), status=OutboxMessage.Status.FAILED)
        | Q(status=OutboxMessage.Status.SENDING, claimed_until__lt=now))


def deliver_pending(limit: int = 500, now: datetime.datetime | None = None) -> int:
    """Send what is due (see ``due``). Returns how many were sent. Stops at the first message the mail
    server did not answer (the rest wait for the next pass, with no attempt counted), so a silent
    server costs one ``EMAIL_TIMEOUT`` per pass."""
    ids = list(due(now).order_by("created_at").values_list("pk", flat=True)[:limit])
    sent = 0
    for pk in ids:
        try:
            sent += _deliver(pk)
        except ServerSilent:
            break
    return sent


def requeue(ids: Iterable[int]) -> int:
    """Give failed or undelivered messages a fresh set of attempts, starting now (staff, from the admin)."""
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(pk__in=list(ids)).exclude(status=OutboxMessage.Status.SENT)
        pks = list(qs.values_list("pk", flat=True))
        count = qs.update(status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=None,
                          staff_alerted=False)
        for pk in pks:
            transaction.on_commit(lambda pk=pk: _enqueue_delivery(pk))
    return count


@task(queue_name=EMAIL_QUEUE)
def deliver_message_task(message_id: int) -> bool:
    return deliver(message_id)
