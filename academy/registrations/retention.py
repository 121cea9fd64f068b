"""Retention: personal data tied to registrations of long-finished courses are purged."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from academy.courses.models import CoursePage
from academy.network.models import Person

from .models import Registration, RegistrationEvent


def purge_expired_personal_data(now: datetime.datetime | None = None) -> int:
    """Purge personal data tied to registrations of courses that ended more than RETENTION_DAYS ago.

    Registrations stay (counts and statistics), but who registered whom and the history notes are
    cleared; people whose only trace is such old registrations and who have no account and are not on
    a roster are anonymised. Returns the number of registrations purged.
    """
    from academy.network.privacy import anonymise_person

    purged = RegistrationEvent.Action.PURGED
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACADEMY["RETENTION_DAYS"])
    expired_courses = CoursePage.objects.filter(last_ends_at__lt=cutoff).values_list("pk", flat=True)
    old = Registration.objects.filter(course_id__in=expired_courses).exclude(events__action=purged)
    ids = list(old.values_list("pk", flat=True))
    person_ids = set(old.values_list("person_id", flat=True))
    with transaction.atomic():
        Registration.objects.filter(pk__in=ids).update(registered_by=None)
        RegistrationEvent.objects.filter(registration_id__in=ids).update(by=None, note="")
        RegistrationEvent.objects.bulk_create(
            [RegistrationEvent(registration_id=pk, action=purged, at=now) for pk in ids])
        recent = Registration.objects.exclude(course_id__in=expired_courses).values_list("person_id", flat=True)
        for person in Person.objects.filter(pk__in=person_ids, user__isnull=True, on_roster=False,
                                            anonymised_at__isnull=True).exclude(pk__in=recent):
            anonymise_person(person, now=now)
    return len(ids)
