"""Telling staff about e-mails the outbox gave up on (retries exhausted, see ``outbox.MAX_ATTEMPTS``).

They show in the admin (the outbox list, filtered by status, and a dashboard panel), and one e-mail per
batch goes to the Academy's contact address through the outbox itself, so it leaves as soon as SMTP is
back. An alert is never raised about an alert (no loop when the contact address is what fails), and each
undelivered message is reported once.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import OutboxMessage
from .outbox import MAX_ATTEMPTS
from .retrying import alert_staff_once
from .urls import absolute_url

ALERT_KEY_PREFIX = "outbox-alert:"


def undelivered():
    """Messages given up on, other than alerts themselves."""
    return (OutboxMessage.objects.filter(status=OutboxMessage.Status.UNDELIVERED)
            .exclude(key__startswith=ALERT_KEY_PREFIX))


def alert_staff(now=None) -> int:
    """Queue one e-mail to the contact address about messages newly given up on; returns how many."""
    rows = undelivered().filter(staff_alerted=False)
    count = rows.count()
    if not count:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext("%(count)d e-mail could not be delivered",
                           "%(count)d e-mails could not be delivered", count) % {"count": count}
        intro = _("The Academy gave up on these e-mails after %(attempts)d attempts over about a day. "
                  "Check the mail server, then requeue them from the admin: %(url)s") % {
            "attempts": MAX_ATTEMPTS, "url": absolute_url(reverse("academy_outbox:index") + "?status=undelivered")}
    return alert_staff_once(rows, key_prefix=ALERT_KEY_PREFIX, recipients=[settings.ACADEMY["CONTACT_EMAIL"]],
                            subject=subject, intro=intro,
                            line=lambda row: f"- {row.to}: {row.subject} ({row.last_error[:120]})")
