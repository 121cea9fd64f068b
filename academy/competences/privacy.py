"""External training entered by HR is exported; it stays at erasure (the person is anonymised) in the
organisation's training record."""

from __future__ import annotations

from academy.core import privacy

from .models import ExternalTraining


def export_external_training(person) -> list[dict]:
    return [
        {"title": t.title, "provider": t.provider, "date": t.date, "hours": t.hours}
        for t in ExternalTraining.objects.filter(person=person)
    ]


privacy.register("external_training", export=export_external_training, export_order=60)
