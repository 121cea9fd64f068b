"""The 24 h and 1 h reminders before each session, queued once per session version."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from academy.core.models import OutboxMessage
from academy.courses.models import Session

from .invitations import send_invitation
from .models import Registration
from .reads import canonical

REMINDERS = (("reminder_24h", datetime.timedelta(hours=24)), ("reminder_1h", datetime.timedelta(hours=1)))


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """Queue the 24 h and 1 h reminders that are due. Idempotent through outbox keys
    (``registration:{id}:reminder_24h:{session}-{sequence}``), so the scheduler may call it every minute
    and a moved session gets fresh reminders."""
    now = now or timezone.now()
    queued = 0
    sessions = Session.objects.filter(cancelled=False, starts_at__gt=now,
                                      starts_at__lte=now + datetime.timedelta(hours=24)).select_related("course")
    for session in sessions:
        remaining = session.starts_at - now
        kind = "reminder_1h" if remaining <= datetime.timedelta(hours=1) else "reminder_24h"
        suffix = f"{session.pk}-{session.sequence}"
        registrations = list(Registration.objects.confirmed().filter(course_id=session.course_id)
                             .select_related("person"))
        keys = {f"registration:{r.pk}:{kind}:{suffix}": r for r in registrations}
        done = set(OutboxMessage.objects.filter(key__in=list(keys)).values_list("key", flat=True))
        course = canonical(session.course)
        for key, registration in keys.items():
            if key in done:
                continue
            # Skip a 24 h reminder for someone who registered within the last hour: they just got the
            # confirmation; the 1 h reminder still follows.
            if kind == "reminder_24h" and registration.updated_at > now - datetime.timedelta(hours=1):
                continue
            registration.course = course
            with transaction.atomic():
                send_invitation(registration, kind, sessions=[session], key_suffix=suffix)
            queued += 1
    return queued
