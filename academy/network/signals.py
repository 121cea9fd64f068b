"""Receivers of this layer's answers to the layers below (``docs/architecture.md``, extension points)."""

from __future__ import annotations

from django.dispatch import receiver

from academy.core.second_factor import second_factor_required

from .models import HROfficer


@receiver(second_factor_required, dispatch_uid="network.hr_officer_second_factor")
def hr_officer(sender, user, **kwargs) -> str:
    """HR officers see their organisations' staff records, codici fiscali included."""
    return "hr_officer" if HROfficer.objects.filter(user=user).exists() else ""
