"""Periodic work of the core: deliver what the outbox still holds (first attempts that found no task
worker, and retries of failed sends)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from .outbox import deliver_pending
from .periodic import periodic

logger = logging.getLogger(__name__)


@receiver(periodic, dispatch_uid="academy.core.deliver_outbox")
def deliver_outbox(sender, now, **kwargs) -> int:
    sent = deliver_pending()
    logger.info("outbox: %s sent", sent)
    return sent
