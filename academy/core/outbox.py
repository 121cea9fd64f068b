"""Queue e-mails in the outbox and deliver them exactly once.

``queue_email`` is called inside the business transaction; delivery happens after commit through a
background task (``deliver_pending``), and ``manage.py send_outbox`` / the scheduler retry failures.
A message is claimed with a row lock (``select_for_update(skip_locked=True)`` on PostgreSQL) so two
workers never send the same one.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from .models import OutboxMessage

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str


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
    message = OutboxMessage(
        key=key, to=to, subject=subject[:300], body=body, html_body=html_body,
        attachments=[
            {"filename": a.filename, "content_type": a.content_type,
             "content": base64.b64encode(a.content).decode("ascii")}
            for a in attachments
        ],
    )
    if not _insert_unless_exists(message):
        return OutboxMessage.objects.get(key=key)
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def _insert_unless_exists(message: OutboxMessage) -> bool:
    """INSERT the message unless its key exists (PostgreSQL and SQLite ≥ 3.35); sets ``pk`` if inserted."""
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


def deliver(message_id: int) -> bool:
    """Send one pending message; True if it is (now or already) sent."""
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(pk=message_id)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        message = qs.first()
        if message is None:
            return False
        if message.status == OutboxMessage.Status.SENT:
            return True
        email = EmailMultiAlternatives(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                                       [message.to])
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        for item in message.attachments:
            email.attach(item["filename"], base64.b64decode(item["content"]), item["content_type"])
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:  # SMTP down, refused, ...: keep it for a retry
            message.status = OutboxMessage.Status.FAILED
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.save(update_fields=["status", "attempts", "last_error"])
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "attempts", "sent_at", "last_error"])
        return True


def deliver_pending(limit: int = 500) -> int:
    """Send what is pending or failed (below the attempt limit). Returns how many were sent."""
    ids = list(
        OutboxMessage.objects.filter(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED],
                                     attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(pk))


@task()
def deliver_message_task(message_id: int) -> bool:
    return deliver(message_id)


@task()
def deliver_pending_task() -> int:
    return deliver_pending()
