"""Registrations' personal data: exported with their history; at erasure, registrations for courses
still to come are cancelled (freeing seats for the waiting list), past ones stay, anonymous, for the
counts."""

from __future__ import annotations

from django.db.models import Q

from academy.core import privacy

from . import services
from .models import Registration


def export_registrations(person) -> list[dict]:
    return [
        {"course": r.course.title, "status": r.status, "registered_at": r.created_at.isoformat(),
         "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
         "consent_version": r.consent_version,
         "consent_at": r.consent_at.isoformat() if r.consent_at else None,
         "history": [{"at": e.at.isoformat(), "action": e.action, "note": e.note} for e in r.events.all()]}
        for r in Registration.objects.filter(person=person).select_related("course").prefetch_related("events")
    ]


def cancel_upcoming(person, *, by, now) -> None:
    upcoming = Registration.objects.active().filter(person=person).filter(
        Q(course__last_ends_at__isnull=True) | Q(course__last_ends_at__gt=now))
    for registration in upcoming:
        services.cancel(registration, by=by, notify=False, note="erasure")


privacy.register("registrations", export=export_registrations, erase=cancel_upcoming, order=10, export_order=10)
