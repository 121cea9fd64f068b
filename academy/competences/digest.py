"""The monthly HR digest: one e-mail per HR officer and month, through the outbox."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.core.models import OutboxMessage
from academy.core.outbox import queue_email
from academy.core.urls import absolute_url
from academy.network.models import HROfficer, Organisation, Person

from .compliance import Period
from .dashboard import build_dashboard
from .engine import DUE, LAPSED, OVERDUE, item_text

DIGEST_DUE_DAYS = 90


def send_hr_digests(today: datetime.date | None = None, *, due_days: int = DIGEST_DUE_DAYS) -> int:
    """Queue this month's digest for every HR officer: last month's training (hours, people), then from the
    engine what falls due within ``due_days`` (soonest first) and what is lapsed or overdue, obligations and
    requirements alike. Exactly once per officer and month, through the outbox key
    ``hr-digest:{officer_id}:{YYYY-MM}`` — the scheduler may call this every minute. Returns how many
    digests were queued now."""
    today = today or timezone.localdate()
    month = f"{today:%Y-%m}"
    last_month = Period.month(today.replace(day=1) - datetime.timedelta(days=1))
    officers = list(HROfficer.objects.select_related("user", "organisation").exclude(user__email=""))
    done = set(OutboxMessage.objects.filter(key__in=[f"hr-digest:{o.pk}:{month}" for o in officers])
               .values_list("key", flat=True))
    languages = dict(Person.objects.filter(user_id__in=[o.user_id for o in officers])
                     .values_list("user_id", "preferred_language"))
    queued = 0
    for officer in officers:
        key = f"hr-digest:{officer.pk}:{month}"
        if key in done or not officer.user.is_active:
            continue
        people = Person.objects.filter(organisation__in=Organisation.objects.subtree_of(officer.organisation),
                                       anonymised_at__isnull=True).order_by("last_name", "first_name", "pk")
        with translation.override(languages.get(officer.user_id, "it")):
            board = build_dashboard(people, last_month, today=today, due_days=due_days)
            to_act = [(row, item) for row in board.people for item in row.to_act]
            context = {
                "officer": officer, "organisation": officer.organisation, "board": board,
                "period": last_month, "due_days": due_days, "dashboard_url": absolute_url(reverse("hr:dashboard")),
                "falling_due": [(row, item_text(i)) for row, i in sorted(
                    (pair for pair in to_act if pair[1].status == DUE), key=lambda pair: pair[1].deadline)],
                "lapsed": [(row, item_text(i)) for row, i in to_act if i.status in (LAPSED, OVERDUE)],
            }
            subject = _("Staff training in %(organisation)s: %(month)s") % {
                "organisation": officer.organisation.name, "month": f"{last_month.start:%m/%Y}"}
            body = render_to_string("emails/hr/digest.txt", context)
            html = render_to_string("emails/hr/digest.html", context)
        with transaction.atomic():
            queue_email(key, officer.user.email, subject, body, html_body=html)
        queued += 1
    return queued
