"""Queue e-mails in the outbox and deliver them at least once, with a stable Message-ID.

``queue_email`` is called inside the business transaction; delivery happens after commit through a
background task on the ``email`` queue (ahead of bulk work), and ``manage.py send_outbox`` / the
scheduler retry failures with exponential backoff (``retry_delay``) until ``MAX_ATTEMPTS``, after which
the message is marked undelivered and staff are alerted (``outbox_alerts``). A crash between the SMTP
server accepting a message and the row being marked sent means it is sent again: every attempt carries
the same Message-ID, so receiving servers can drop the duplicate.
``queue_email_later`` records a message that the delivering worker renders first (see ``render``):
the request that causes it pays for one INSERT, not for templates, calendar files or join links.
A message is claimed with a row lock (``select_for_update(skip_locked=True)`` on PostgreSQL) so two
workers never send the same one.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import OutboxMessage
from .storage import PrivateStorage

# Retries start a minute apart and double up to an hour: about a day of SMTP outage before giving up.
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_RETRY = datetime.timedelta(hours=1)
MAX_ATTEMPTS = 30
EMAIL_QUEUE = "email"  # delivery tasks: workers listen to it before the bulk "default" queue


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed attempt before the next one."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


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

    One statement, ``INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id``, instead of
    ``get_or_create`` (SELECT, SAVEPOINT, INSERT, RELEASE): it is called inside short locked sections
    (a registration holds its course lock), where every round trip counts. Exactly-once still rests on
    the unique key: of two concurrent callers only the one whose row was inserted gets an id back and
    schedules the delivery; the other waits for the first transaction and then reads its row.
    """
    return _queue(OutboxMessage(key=key, to=to, subject=subject[:300], body=body, html_body=html_body,
                                attachments=_encode(attachments)))


def queue_email_later(key: str, to: str, renderer: Callable[[dict], RenderedEmail] | str,
                      context: dict) -> OutboxMessage:
    """Record a message once per key, to be rendered by the worker that delivers it.

    ``renderer`` is a module-level function (or its dotted path) taking the JSON-serialisable
    ``context`` and returning a ``RenderedEmail``; it runs at delivery with the data as they are then
    (a join link created meanwhile, a waiting-list position that moved). Same exactly-once guarantees
    as ``queue_email``: the key is recorded in the caller's transaction.
    """
    path = renderer if isinstance(renderer, str) else f"{renderer.__module__}.{renderer.__qualname__}"
    return _queue(OutboxMessage(key=key, to=to, renderer=path, context=context))


def _queue(message: OutboxMessage) -> OutboxMessage:
    key = message.key
    if not _insert_unless_exists(message):
        return OutboxMessage.objects.get(key=key)
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def _insert_unless_exists(message: OutboxMessage) -> bool:
    """INSERT the message unless its key exists (PostgreSQL and SQLite ≥ 3.35); sets ``pk`` if inserted.
    Raw because the ORM has no single-statement insert-unless-exists that says whether it inserted."""
    opts = OutboxMessage._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    values = [f.get_db_prep_save(f.pre_save(message, True), connection) for f in fields]
    sql = (f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           f"ON CONFLICT ({quote(opts.get_field('key').column)}) DO NOTHING RETURNING {quote(opts.pk.column)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    message.pk = row[0]
    message._state.adding = False
    return True


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
    rendered: RenderedEmail = import_string(message.renderer)(message.context)
    message.subject, message.body = rendered.subject[:300], rendered.body
    message.html_body, message.attachments = rendered.html_body, _encode(rendered.attachments)
    message.renderer = ""
    if message.pk:
        message.save(update_fields=["subject", "body", "html_body", "attachments", "renderer"])
    return message


def deliver(message_id: int) -> bool:
    """Send one pending message (writing it first if it was queued for rendering); True if it is (now
    or already) sent."""
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(pk=message_id)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        message = qs.first()
        if message is None:
            return False
        if message.status == OutboxMessage.Status.SENT:
            return True
        try:
            render(message)
        except Exception as exc:  # e.g. the registration was erased meanwhile: record why, retry later
            message.attempts += 1
            _failed(message, f"rendering: {type(exc).__name__}: {exc}")
            return False
        email = EmailMultiAlternatives(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                                       [message.to], headers={"Message-ID": stable_message_id(message)})
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        try:
            for item in message.attachments:
                email.attach(item["filename"], _content(item), item["content_type"])
        except OSError as exc:  # a stored attachment is gone (e.g. erased): record why, never stop the batch
            message.attempts += 1
            _failed(message, f"attachment: {type(exc).__name__}: {exc}")
            return False
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:  # SMTP down, refused, ...: keep it for a retry
            _failed(message, f"{type(exc).__name__}: {exc}")
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "sent_at", "last_error", "next_attempt_at"])
        return True


def _failed(message: OutboxMessage, error: str) -> None:
    """Record a failed attempt: retry after the backoff delay, or give up after the last attempt."""
    if message.attempts >= MAX_ATTEMPTS:
        message.status, message.next_attempt_at = OutboxMessage.Status.UNDELIVERED, None
    else:
        message.status = OutboxMessage.Status.FAILED
        message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
    message.last_error = error[:2000]
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def due(now: datetime.datetime | None = None):
    """The messages to try now: pending, or failed and past their backoff delay."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.PENDING)
        | Q(status=OutboxMessage.Status.FAILED, next_attempt_at__isnull=True)
        | Q(status=OutboxMessage.Status.FAILED, next_attempt_at__lte=now))


def deliver_pending(limit: int = 500, now: datetime.datetime | None = None) -> int:
    """Send what is due (see ``due``). Returns how many were sent."""
    ids = list(due(now).order_by("created_at").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if deliver(pk))


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
