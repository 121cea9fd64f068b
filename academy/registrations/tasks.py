"""Periodic work of registrations: the reminders that are due and the daily retention purge."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from academy.core.periodic import at_most_every, periodic

from . import services

logger = logging.getLogger(__name__)

PURGE_EVERY = 60 * 60 * 24  # seconds: the retention purge runs daily


@receiver(periodic, dispatch_uid="academy.registrations.send_reminders")
def send_reminders(sender, now, **kwargs) -> int:
    queued = services.send_due_reminders(now)
    logger.info("reminders: %s queued", queued)
    return queued


@receiver(periodic, dispatch_uid="academy.registrations.purge_personal_data")
def purge_personal_data(sender, now, **kwargs) -> int:
    if not at_most_every("registrations-purge", PURGE_EVERY, now):  # one scheduler, once a day
        return 0
    purged = services.purge_expired_personal_data(now)
    logger.info("retention purge: %s purged", purged)
    return purged
