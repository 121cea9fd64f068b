"""Periodic work of the API: the access log is kept ``API_ACCESS_LOG_DAYS`` days; webhooks are delivered
and retried; obligation statuses are compared with the known ones (``obligation_events``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from academy.core.periodic import at_most_every, periodic

from .models import ApiAccessLog


@receiver(periodic, dispatch_uid="academy.api.purge_access_log")
def purge_access_log(sender, now, **kwargs) -> int:
    cutoff = now - datetime.timedelta(days=settings.API_ACCESS_LOG_DAYS)
    deleted, _rows = ApiAccessLog.objects.filter(at__lt=cutoff).delete()
    return deleted


@receiver(periodic, dispatch_uid="academy.api.deliver_webhooks")
def deliver_webhooks(sender, now, **kwargs) -> int:
    from .webhooks import deliver_pending

    return deliver_pending(now)


@receiver(periodic, dispatch_uid="academy.api.purge_webhook_events")
def purge_webhook_events(sender, now, **kwargs) -> int:
    from .models import WebhookEvent

    deleted, _rows = WebhookEvent.objects.filter(created_at__lt=now - datetime.timedelta(days=30)).exclude(
        status=WebhookEvent.Status.PENDING).delete()
    return deleted


@receiver(periodic, dispatch_uid="academy.api.obligation_statuses")
def compare_obligation_statuses(sender, now, **kwargs) -> int:
    """Statuses that change with the calendar (a deadline comes near or passes), and any change a refresh
    after a certificate or a training record missed."""
    from .obligation_events import SWEEP_EVERY, sweep

    if not at_most_every("api.obligation_statuses", SWEEP_EVERY, now):
        return 0
    return sweep(timezone.localdate(now))
