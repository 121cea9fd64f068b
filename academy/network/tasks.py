"""Periodic work of the network: the purge of old successful-login records (``login_records``)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from academy.core.periodic import periodic

from .login_records import purge_login_records

logger = logging.getLogger(__name__)


@receiver(periodic, dispatch_uid="academy.network.purge_login_records")
def purge_old_login_records(sender, now, **kwargs) -> int:
    purged = purge_login_records(now)
    if purged:
        logger.info("login records: %s purged", purged)
    return purged
