"""Periodic work of the HR area: the monthly digests (exactly once per officer and month), and the
deletion of background import jobs past their retention (their reports name people)."""

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


@receiver(periodic, dispatch_uid="academy.competences.delete_old_import_jobs")
def delete_old_import_jobs(sender, now, **kwargs) -> int:
    from .import_jobs import delete_old_jobs

    deleted = delete_old_jobs(now)
    if deleted:
        logger.info("import jobs: %s old ones deleted", deleted)
    return deleted
