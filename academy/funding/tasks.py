"""Periodic steps of funded training: the purge of course files past their period and the deactivation
of expired inspector accounts (``academy.core.periodic``)."""

from __future__ import annotations

from django.dispatch import receiver

from academy.core.periodic import periodic

from . import retention
from .services import inspectors


@receiver(periodic, dispatch_uid="academy.funding.purge_course_files")
def purge_course_files(sender, now, **kwargs) -> None:
    retention.purge_course_files(now)


@receiver(periodic, dispatch_uid="academy.funding.deactivate_inspectors")
def deactivate_inspectors(sender, now, **kwargs) -> None:
    inspectors.deactivate_expired(now)
