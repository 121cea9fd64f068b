"""Telling staff about e-mails the outbox gave up on (retries exhausted, see ``outbox.MAX_ATTEMPTS``).

They show in the admin (the outbox list, filtered by status, and a dashboard panel), and one e-mail per
batch goes to the Academy's contact address through the outbox itself, so it leaves as soon as SMTP is
back. An alert is never raised about an alert (no loop when the contact address is what fails), and each
undelivered message is reported once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import OutboxMessage
from .outbox import MAX_ATTEMPTS, queue_email
from .urls import absolute_url

ALERT_KEY_PREFIX = "outbox-alert:"
LISTED = 50  # messages named in one alert; the admin list has them all


def undelivered():
    """Messages given up on, other than alerts themselves."""
    return (OutboxMessage.objects.filter(status=OutboxMessage.Status.UNDELIVERED)
            .exclude(key__startswith=ALERT_KEY_PREFIX))


def alert_staff(now=None) -> int:
    """Queue one e-mail to the contact address about messages newly given up on; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(undelivered().filter(staff_alerted=False).select_for_update().order_by("pk"))
        if not rows:
            return 0
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(staff_alerted=True)
        with translation.override(settings.LANGUAGE_CODE):
            subject = ngettext("%(count)d e-mail could not be delivered",
                               "%(count)d e-mails could not be delivered", len(rows)) % {"count": len(rows)}
            lines = [f"- {row.to}: {row.subject} ({row.last_error[:120]})" for row in rows[:LISTED]]
            body = _("The Academy gave up on these e-mails after %(attempts)d attempts over about a day. "
                     "Check the mail server, then requeue them from the admin: %(url)s") % {
                "attempts": MAX_ATTEMPTS, "url": absolute_url(reverse("academy_outbox:index") + "?status=undelivered")}
            body = "\n\n".join([body, "\n".join(lines)])
        queue_email(f"{ALERT_KEY_PREFIX}{now:%Y%m%d%H%M%S}:{rows[0].pk}-{rows[-1].pk}",
                    settings.ACADEMY["CONTACT_EMAIL"], subject, body)
    return len(rows)
