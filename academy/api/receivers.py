"""Webhook events from the audit rows every change already writes (``RegistrationEvent``,
``CertificateEvent``: Django's ``post_save``, or the bulk issue's signal) and from the attendance writer's
``attendance_imported`` signal, inside the changing transaction, so no domain code knows about webhooks.
Certificates and training done elsewhere also make the people's obligation statuses be compared again
after the change commits (``obligation_events``). Payloads carry ids and links; people only as ids."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from academy.attendance.signals import attendance_imported
from academy.competences.models import ExternalTraining
from academy.core.urls import absolute_url
from academy.obligations.models import Employment
from academy.registrations.models import RegistrationEvent
from certificates.models import CertificateEvent
from certificates.services.content import verify_url
from certificates.signals import events_created_in_bulk

from . import obligation_events, webhooks

REGISTRATION_ACTIONS = {RegistrationEvent.Action.REGISTERED, RegistrationEvent.Action.WAITLISTED,
                        RegistrationEvent.Action.PENDING, RegistrationEvent.Action.PROMOTED,
                        RegistrationEvent.Action.APPROVED, RegistrationEvent.Action.CANCELLED}
CERTIFICATE_ACTIONS = {CertificateEvent.Action.ISSUED: "certificate.issued",
                       CertificateEvent.Action.REVOKED: "certificate.revoked"}


@receiver(post_save, sender=RegistrationEvent, dispatch_uid="academy.api.registration_webhooks")
def registration_changed(sender, instance: RegistrationEvent, created: bool, **kwargs) -> None:
    if not created or instance.action not in REGISTRATION_ACTIONS:
        return
    registration = instance.registration
    webhooks.emit(f"registration.{registration.status}", f"registration:{registration.pk}", {
        "registration": registration.pk, "course": registration.course_id, "person": registration.person_id,
        "status": registration.status,
        "links": {"course": absolute_url(reverse("api:course", args=[registration.course_id]))},
    }, person=registration.person)


@receiver(post_save, sender=CertificateEvent, dispatch_uid="academy.api.certificate_webhooks")
def certificate_changed(sender, instance: CertificateEvent, created: bool, **kwargs) -> None:
    if created:
        certificate_events([instance])


@receiver(events_created_in_bulk, sender=CertificateEvent, dispatch_uid="academy.api.bulk_certificate_webhooks")
def certificates_issued_in_bulk(sender, events: list[CertificateEvent], **kwargs) -> None:
    certificate_events(events)


def certificate_events(events: list[CertificateEvent]) -> None:
    people = []
    for instance in events:
        event_type = CERTIFICATE_ACTIONS.get(instance.action)
        if event_type is None:
            continue
        certificate = instance.certificate
        webhooks.emit(event_type, f"certificate:{certificate.pk}", {
            "certificate": certificate.pk, "course": certificate.course_id, "person": certificate.person_id,
            "status": certificate.status, "links": {"verification": verify_url(certificate.code)},
        }, person=certificate.person)
        people.append(certificate.person_id)
    if people:
        refresh_obligations_after_commit(people)


@receiver(attendance_imported, dispatch_uid="academy.api.attendance_webhooks")
def attendance_recorded(sender, session, source: str, person_ids: list[int], **kwargs) -> None:
    def data(visible: list[int]) -> dict:
        return {"session": session.pk, "course": session.course_id, "source": source, "people": visible,
                "starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat(),
                "links": {"course": absolute_url(reverse("api:course", args=[session.course_id]))}}

    webhooks.emit_about("attendance.imported", f"session:{session.pk}", person_ids, data)


@receiver(post_save, sender=ExternalTraining, dispatch_uid="academy.api.external_training_saved")
@receiver(post_delete, sender=ExternalTraining, dispatch_uid="academy.api.external_training_deleted")
def external_training_changed(sender, instance: ExternalTraining, **kwargs) -> None:
    refresh_obligations_after_commit([instance.person_id])


@receiver(post_save, sender=Employment, dispatch_uid="academy.api.employment_saved")
@receiver(post_delete, sender=Employment, dispatch_uid="academy.api.employment_deleted")
def employment_changed(sender, instance: Employment, **kwargs) -> None:
    """A hire date or job start moves the deadline of a course not yet done (due ↔ overdue)."""
    refresh_obligations_after_commit([instance.person_id])


_pending = threading.local()  # people whose statuses to compare once the current transaction commits


def refresh_obligations_after_commit(person_ids: list[int]) -> None:
    """After the change commits, in a transaction of its own: a failure there never undoes a certificate
    or a training record, and the periodic sweep catches up with what it missed. The people of one
    transaction (an import of many training records) are compared together, by its first callback; a
    person left over by a rolled-back transaction is compared with the next one, which is harmless: the
    comparison reads the current state."""
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.update(person_ids)
    transaction.on_commit(_refresh_pending, robust=True)


def _refresh_pending() -> None:
    ids, _pending.ids = getattr(_pending, "ids", set()), set()
    if ids:
        obligation_events.refresh(sorted(ids))
