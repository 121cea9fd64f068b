"""The outbox: every e-mail the Academy sends is first recorded here, under a unique key.

Writing the message in the same transaction as the change that causes it (a registration, a
promotion, a certificate) means a crash can never send a mail for a change that was rolled back,
nor lose one for a change that was committed; the unique key means a retry never sends twice.
A message may be recorded before it is written (``renderer`` and ``context``): the delivering worker
renders it, which keeps template and calendar rendering out of busy requests.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .retrying import RetryableOperation, RetryPolicy


class OutboxMessage(RetryableOperation):
    # Retries a minute apart, doubling up to an hour: about a day of SMTP outage before giving up.
    retry_policy = RetryPolicy(max_attempts=30, first_delay=datetime.timedelta(minutes=1),
                               longest_delay=datetime.timedelta(hours=1))

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (will be retried)")
        UNDELIVERED = "undelivered", _("Undelivered (retries exhausted)")

    key = models.CharField(max_length=200, unique=True,
                           help_text="Idempotency key, e.g. 'registration:42:confirmed:0'.")
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    # [{"filename": ..., "content_type": ..., "content": base64}] — small files only (.ics, PDF).
    attachments = models.JSONField(default=list, blank=True)
    # A message queued for rendering by the worker that delivers it (``queue_email_later``): its kind, whose
    # owner turns ``context`` into subject, body and attachments (``outbox.email_rendering``). Empty once
    # rendered (or for a message queued already rendered); the rendered text is kept, so a retry sends the same.
    renderer = models.CharField(max_length=200, blank=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    # A sender claimed the message until then (``academy.core.outbox.deliver``); after it, another may.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.key} → {self.to} ({self.status})"
