"""Registrations by status for ``/metrics`` (read at scrape time: the same on every app server)."""

from __future__ import annotations

from django.db.models import Count

from academy.core.metrics import register

from .models import Registration


def _by_status() -> dict[tuple[str, ...], float]:
    rows = dict(Registration.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {(status,): float(rows.get(status, 0)) for status in Registration.Status.values}


register("academy_registrations", "Registrations by status", _by_status, labels=["status"])
