"""External training entered by HR is exported. At erasure the row stays (the person is anonymised) in
the organisation's training record, but its attachment goes: it is another provider's certificate, which
prints the person's name, and the employer keeps its own copy as the controller of its training records."""

from __future__ import annotations

from academy.core import privacy

from .models import ExternalTraining


def export_external_training(person) -> list[dict]:
    return [
        {"title": t.title, "provider": t.provider, "date": t.date, "hours": t.hours}
        for t in ExternalTraining.objects.filter(person=person)
    ]


def erase_attachments(person, *, by, now) -> None:
    for training in ExternalTraining.objects.filter(person=person).exclude(attachment=""):
        training.attachment.delete(save=False)
        ExternalTraining.objects.filter(pk=training.pk).update(attachment="")


privacy.register("external_training", export=export_external_training, erase=erase_attachments, order=60,
                 export_order=60)
