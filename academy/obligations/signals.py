"""Receivers: a course that satisfies an obligation gets the final test its legal frame asks for, and
a course under the State-Regions Agreement is checked against it before it is saved."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from academy.courses.signals import course_checked

from .course_rules import agreement_course_problems
from .models import CourseModule


@receiver(course_checked, dispatch_uid="obligations.agreement_course_problems")
def check_agreement_course(sender, course, **kwargs) -> list[str]:
    return agreement_course_problems(course)


@receiver(post_save, sender=CourseModule, dispatch_uid="obligations_legal_test")
def course_module_saved(sender, instance: CourseModule, raw: bool = False, **kwargs) -> None:
    if raw:  # fixtures and loaddata: leave the data as given
        return
    from .services import apply_legal_test

    apply_legal_test(instance.course)
