"""One way to retry work that talks to the outside world (an e-mail, a Microsoft Graph call) and to tell
staff when it keeps failing.

A model that records such work inherits ``RetryableOperation`` (attempts, last error, when to try next,
whether staff were told) and names its ``RetryPolicy``; a failed attempt goes through
``record_failure``, the rows to try now are ``due_filter``, and ``alert_staff_once`` tells staff about
rows whose attempts ran out, once per row. The outbox (``academy.core.outbox``) and the Teams operations
log (``webinars.models.GraphOperation``) are the two users.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: after the n-th failed attempt wait ``first_delay * 2**(n-1)``, at most
    ``longest_delay``; the first ``at_once`` failures are retried without waiting. After
    ``max_attempts`` failures staff are alerted, and the work stops (``give_up``) or goes on being
    retried at the longest delay."""

    max_attempts: int
    first_delay: datetime.timedelta = datetime.timedelta(minutes=1)
    longest_delay: datetime.timedelta = datetime.timedelta(hours=1)
    at_once: int = 0
    give_up: bool = True

    def delay(self, attempts: int) -> datetime.timedelta:
        """How long to wait after the ``attempts``-th failed attempt before the next one."""
        if attempts <= self.at_once:
            return datetime.timedelta(0)
        return min(self.first_delay * 2 ** max(attempts - 1, 0), self.longest_delay)


class RetryableOperation(models.Model):
    """The bookkeeping of a retried operation; subclasses set ``retry_policy``."""

    retry_policy: ClassVar[RetryPolicy]

    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a failed operation may be tried again; None: now (never failed), or never (given up).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Staff were told the attempts ran out (``alert_staff_once``): once per row.
    staff_alerted = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def exhausted(self) -> bool:
        return self.attempts >= self.retry_policy.max_attempts

    def record_failure(self, error: str, now: datetime.datetime) -> None:
        """Set ``last_error`` and ``next_attempt_at`` for the attempt that just failed (``attempts``
        already counts it); the caller saves them with its own status. ``next_attempt_at`` stays None
        when the policy gives up."""
        policy = self.retry_policy
        self.last_error = error[:4000]
        self.next_attempt_at = None if self.exhausted and policy.give_up else now + policy.delay(self.attempts)

    @staticmethod
    def due_filter(now: datetime.datetime) -> Q:
        """Rows whose backoff has elapsed (or that never had one)."""
        return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def alert_staff_once(rows: models.QuerySet, *, key_prefix: str, recipients: Iterable[str], subject: str,
                     intro: str, line: Callable[[RetryableOperation], str], listed: int = 50) -> int:
    """Queue one e-mail per recipient, through the outbox, about the rows among ``rows`` whose attempts ran
    out and that staff were not told about yet; mark them told. Returns how many rows it named.

    The rows are locked and marked in one transaction, so two concurrent passes never report a row
    twice; the key names the moment and the rows, so a row requeued by staff and failing again is
    reported again."""
    from .outbox import queue_email  # the outbox's own model inherits from this module

    model = rows.model
    with transaction.atomic():
        found = list(rows.filter(attempts__gte=model.retry_policy.max_attempts, staff_alerted=False)
                     .select_for_update(of=("self",)).order_by("pk"))
        if not found:
            return 0
        model.objects.filter(pk__in=[row.pk for row in found]).update(staff_alerted=True)
        digest = hashlib.sha256(",".join(str(row.pk) for row in found).encode()).hexdigest()[:24]
        body = intro + "\n\n" + "\n".join(line(row) for row in found[:listed])
        for address in dict.fromkeys(recipients):
            queue_email(f"{key_prefix}{timezone.now():%Y%m%d%H%M%S}:{digest}:{address}"[:200], address, subject, body)
    return len(found)
