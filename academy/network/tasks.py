"""Background work of the network: the password-reset e-mail, and the periodic purge of old
successful-login records (``login_records``)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.dispatch import receiver
from django.utils import translation
from django_tasks import task

from academy.core.periodic import periodic

from .login_records import purge_login_records

logger = logging.getLogger(__name__)


@receiver(periodic, dispatch_uid="academy.network.purge_login_records")
def purge_old_login_records(sender, now, **kwargs) -> int:
    purged = purge_login_records(now)
    if purged:
        logger.info("login records: %s purged", purged)
    return purged


@task(queue_name="email")
def send_password_reset(email: str, language: str) -> None:
    """Look the address up and, for an active account, queue the reset link through the outbox. Done
    by a worker, not the request: the request then does the same work whether or not the address has an
    account (one task queued), so its answer time reveals nothing."""
    from .forms import OutboxPasswordResetForm

    site = urlsplit(settings.SITE_URL)
    with translation.override(language):
        form = OutboxPasswordResetForm({"email": email})
        if form.is_valid():
            form.save(domain_override=site.netloc, use_https=site.scheme == "https",
                      email_template_name="accounts/email/password_reset.txt")
