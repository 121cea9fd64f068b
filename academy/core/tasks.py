"""Periodic work of the core: deliver what the outbox still holds (first attempts that found no task
worker, and retries of failed sends), and tell staff about the messages given up on."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from .outbox import deliver_pending
from .outbox_alerts import alert_staff
from .periodic import periodic

logger = logging.getLogger(__name__)


@receiver(periodic, dispatch_uid="academy.core.deliver_outbox")
def deliver_outbox(sender, now, **kwargs) -> int:
    sent = deliver_pending()
    alerted = alert_staff(now)
    logger.info("outbox: %s sent, %s newly undelivered reported to staff", sent, alerted)
    return sent
