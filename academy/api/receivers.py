"""Webhook events from the audit rows every change already writes (``RegistrationEvent``,
``CertificateEvent``): Django's ``post_save`` inside the changing transaction, so no domain code knows
about webhooks. Payloads carry ids and links; the person only as an id."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from academy.core.urls import absolute_url
from academy.registrations.models import RegistrationEvent
from certificates.models import CertificateEvent
from certificates.services.content import verify_url

from . import webhooks

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
    event_type = CERTIFICATE_ACTIONS.get(instance.action)
    if not created or event_type is None:
        return
    certificate = instance.certificate
    webhooks.emit(event_type, f"certificate:{certificate.pk}", {
        "certificate": certificate.pk, "course": certificate.course_id, "person": certificate.person_id,
        "status": certificate.status, "links": {"verification": verify_url(certificate.code)},
    }, person=certificate.person)
