"""External training entered by HR is exported. At erasure the row stays (the person is anonymised) in
the organisation's training record, but its attachment goes: it is another provider's certificate, which
prints the person's name, and the employer keeps its own copy as the controller of its training records.
Background import jobs an officer started are deleted with the officer's account."""

from __future__ import annotations

from academy.core import privacy

from .models import ExternalTraining, ImportJob


def export_external_training(person) -> list[dict]:
    return [
        {"title": t.title, "provider": t.provider, "date": t.date, "hours": t.hours,
         "obligation": t.obligation.code if t.obligation else "", "delivery_mode": t.delivery_mode,
         "attestato": t.attestato_reference, "ecm_credits": t.credits, "ecm_provider_id": t.ecm_provider_id,
         "ecm_event_id": t.ecm_event_id}
        for t in ExternalTraining.objects.filter(person=person).select_related("obligation")
    ]


def erase_attachments(person, *, by, now) -> None:
    for training in ExternalTraining.objects.filter(person=person).exclude(attachment=""):
        training.attachment.delete(save=False)
        ExternalTraining.objects.filter(pk=training.pk).update(attachment="")


def export_import_jobs(person) -> list[dict]:
    if person.user_id is None:
        return []
    return [{"kind": j.kind, "status": j.status, "rows": j.total, "created_at": j.created_at}
            for j in ImportJob.objects.filter(created_by_id=person.user_id)]


def erase_import_jobs(person, *, by, now) -> None:
    """The imports an officer started: their reports list other people's rows, and they are only a receipt
    for the officer, so they go with the account (before the person's record lets go of its user)."""
    if person.user_id is not None:
        from .import_jobs import delete_jobs

        delete_jobs(ImportJob.objects.filter(created_by_id=person.user_id))


privacy.register("import_jobs", export=export_import_jobs, erase=erase_import_jobs, order=61, export_order=61)
privacy.register("external_training", export=export_external_training, erase=erase_attachments, order=60,
                 export_order=60)
