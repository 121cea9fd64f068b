"""``obligation.status_changed``: a person's status for a legal obligation moved (e.g. compliant → due →
lapsed), as the one compliance engine (``academy.competences.engine.load_compliance``) answers it.

The engine computes statuses, it does not store them, so the last status an event was computed from is
kept per (person, obligation) in ``KnownObligationStatus`` and compared with the engine's answer now:

* ``refresh(person_ids)`` — after a certificate is issued or revoked, or training done elsewhere is
  recorded, changed or deleted (``receivers``, after the change commits);
* ``sweep(today)`` — the periodic step (``tasks``, at most every ``SWEEP_EVERY``) for the changes that the
  calendar makes (a deadline comes near or passes) and for anything a refresh missed.

Only people some endpoint watches (in the scope of an active endpoint that asked for the event) are
compared; the first statuses known for a person are recorded without events (a new endpoint is not
flooded with everyone's current state), an obligation that applies to someone already watched arrives
with ``previous_status: null``, and one that no longer applies is forgotten without an event. The person
rows are locked while their statuses are compared, so two refreshes of one person never announce one
change twice, and events of one (person, obligation) are written, hence delivered, in order.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from academy.competences.engine import Item, load_compliance
from academy.core.urls import absolute_url
from academy.network.models import Organisation, Person

from . import webhooks
from .models import KnownObligationStatus, WebhookEndpoint

EVENT = "obligation.status_changed"
SWEEP_EVERY = 3600  # seconds: deadlines move by the day, so an hour late is soon enough
CHUNK = 500  # people per engine call and transaction in a sweep


def watched_people(endpoints: list[WebhookEndpoint]) -> QuerySet[Person]:
    if any(e.organisation_id is None for e in endpoints):
        return Person.objects.all()
    return Person.objects.filter(organisation__in=Organisation.objects.subtree_of([e.organisation_id
                                                                                    for e in endpoints]))


def payload(person_id: int, item: Item, previous: str | None, today: datetime.date) -> dict:
    return {"person": person_id, "obligation": item.pk, "title": item.title, "legal_reference": item.reference,
            "status": item.status, "previous_status": previous,
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "missing": None if item.missing is None else str(item.missing), "unit": item.unit,
            "as_of": today.isoformat(),
            "links": {"person": absolute_url(reverse("api:hr_person", args=[person_id]))}}


def refresh(person_ids: Iterable[int], *, today: datetime.date | None = None) -> int:
    """Compare the statuses of these people (those watched) with the known ones, record the new ones and
    write an event per change; returns how many events were written."""
    endpoints = webhooks.subscribed(EVENT)
    if not endpoints:
        return 0
    today = today or timezone.localdate()
    written = 0
    with transaction.atomic():
        ids = list(watched_people(endpoints).filter(pk__in=list(person_ids)).select_for_update().order_by("pk")
                   .values_list("pk", flat=True))
        if not ids:
            return 0
        compliance = load_compliance(Person.objects.filter(pk__in=ids).order_by("pk"), today=today)
        known: dict[int, dict[int, KnownObligationStatus]] = {}
        for row in KnownObligationStatus.objects.filter(person_id__in=ids):
            known.setdefault(row.person_id, {})[row.obligation_id] = row
        new, changed, gone = [], [], []
        for person_id in ids:
            before = known.get(person_id, {})
            items = {item.pk: item for item in compliance.for_person(person_id).obligations}
            for obligation_id, item in items.items():
                row = before.get(obligation_id)
                previous = row.status if row else None
                if row is None:
                    new.append(KnownObligationStatus(person_id=person_id, obligation_id=obligation_id,
                                                     status=item.status, deadline=item.deadline))
                elif (row.status, row.deadline) != (item.status, item.deadline):
                    row.status, row.deadline, row.updated_at = item.status, item.deadline, timezone.now()
                    changed.append(row)
                if before and previous != item.status:
                    data = payload(person_id, item, previous, today)
                    written += webhooks.emit_about(EVENT, f"obligation:{obligation_id}:person:{person_id}",
                                                   [person_id], lambda _visible, data=data: data)
            gone += [row.pk for obligation_id, row in before.items() if obligation_id not in items]
        KnownObligationStatus.objects.bulk_create(new)
        KnownObligationStatus.objects.bulk_update(changed, ["status", "deadline", "updated_at"])
        KnownObligationStatus.objects.filter(pk__in=gone).delete()
    return written


def sweep(today: datetime.date) -> int:
    """Refresh everyone watched, ``CHUNK`` people per transaction, and forget those no longer watched."""
    endpoints = webhooks.subscribed(EVENT)
    if not endpoints:
        KnownObligationStatus.objects.all().delete()
        return 0
    people = watched_people(endpoints)
    KnownObligationStatus.objects.exclude(person__in=people).delete()
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    return sum(refresh(ids[start:start + CHUNK], today=today) for start in range(0, len(ids), CHUNK))
