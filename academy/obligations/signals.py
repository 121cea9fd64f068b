"""Receivers: a course that satisfies an obligation gets the final test its legal frame asks for."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CourseModule


@receiver(post_save, sender=CourseModule, dispatch_uid="obligations_legal_test")
def course_module_saved(sender, instance: CourseModule, raw: bool = False, **kwargs) -> None:
    if raw:  # fixtures and loaddata: leave the data as given
        return
    from .services import apply_legal_test

    apply_legal_test(instance.course)
