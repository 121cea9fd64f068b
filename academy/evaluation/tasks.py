"""Periodic work of evaluation: invitations and reminders that are due, and the daily retention purge."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from academy.core.periodic import at_most_every, periodic

from . import privacy, services

logger = logging.getLogger(__name__)

PURGE_EVERY = 60 * 60 * 24


@receiver(periodic, dispatch_uid="academy.evaluation.send_invitations")
def send_invitations(sender, now, **kwargs) -> int:
    queued = services.send_due_invitations(now)
    logger.info("evaluation invitations: %s queued", queued)
    return queued


@receiver(periodic, dispatch_uid="academy.evaluation.purge")
def purge(sender, now, **kwargs) -> int:
    if not at_most_every("evaluation-purge", PURGE_EVERY, now):
        return 0
    return privacy.purge_expired(now)
