"""Periodic work of the HR area: the monthly digests (exactly once per officer and month)."""

from __future__ import annotations

import logging

from django.dispatch import receiver
from django.utils import timezone

from academy.core.periodic import periodic

from . import services

logger = logging.getLogger(__name__)


@receiver(periodic, dispatch_uid="academy.competences.send_hr_digests")
def send_hr_digests(sender, now, **kwargs) -> int:
    queued = services.send_hr_digests(timezone.localdate(now))
    logger.info("HR digests: %s queued", queued)
    return queued
