"""Recording training done elsewhere: the one record (``ExternalTraining``) whether it builds competences,
counts towards a legal obligation or earns ECM credits. Called by the HR area, imports and the demo; the
caller checks that the user may act for the person (``academy.competences.scope``)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .models import ExternalTraining


@transaction.atomic
def record_external_training(person, *, by, obligation, title: str, date, hours, delivery_mode: str,
                             provider: str = "", attestato_reference: str = "", legal_frame: str = "",
                             training_kind: str = "", module: str = "") -> ExternalTraining:
    """Training towards an obligation done elsewhere, as on its attestato (end date, hours, mode; the rules
    it was done under, initial course or refresher, the module it covers, when the attestato says so)."""
    return ExternalTraining.objects.create(
        person=person, obligation=obligation, title=title, provider=provider, date=date, hours=hours,
        delivery_mode=delivery_mode, attestato_reference=attestato_reference, legal_frame=legal_frame,
        training_kind=training_kind, module=module, entered_by=by)


@transaction.atomic
def record_ecm_credits(person, *, by=None, ecm_provider_id: str, provider: str, ecm_event_id: str, credits,
                       date, title: str = "") -> ExternalTraining:
    """ECM credits from an external accredited provider: one row per person and event (entering the same
    event again corrects it). ECM credits are not hours: the row carries 0 hours."""
    training, _created = ExternalTraining.objects.update_or_create(
        person=person, ecm_provider_id=ecm_provider_id, ecm_event_id=ecm_event_id,
        defaults={"provider": provider, "credits": credits, "date": date, "hours": Decimal(0),
                  "title": title or f"ECM {ecm_event_id}", "entered_by": by})
    return training
