"""Receivers of this layer's answers to the layers below (``docs/architecture.md``, extension points)."""

from __future__ import annotations

from django.dispatch import receiver

from academy.core.second_factor import second_factor_required

from .models import InspectorAccess


@receiver(second_factor_required, dispatch_uid="funding.inspector_second_factor")
def inspector(sender, user, **kwargs) -> str:
    """Inspectors see the live registers of a plan's sessions (names of every participant)."""
    return "inspector" if InspectorAccess.objects.filter(user=user).exists() else ""
