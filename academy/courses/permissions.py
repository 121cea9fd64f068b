"""Who may act on a course beyond registering: its trainers and the Academy office.

A course is one thing in both languages, and its trainers are those listed on its canonical
(default-locale) page, like its sessions and seats; a trainer added only to a translation is not one.
"""

from __future__ import annotations

from academy.core.permissions import is_staff


def trainer_of(user):
    """The ``Trainer`` linked to ``user``'s account, or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    from academy.courses.models import Trainer

    return Trainer.objects.filter(user=user).first()


def is_trainer_of(user, course) -> bool:
    """Is ``user`` one of the trainers listed on ``course``'s canonical page?"""
    trainer = trainer_of(user)
    return trainer is not None and course.canonical.trainers.filter(pk=trainer.pk).exists()


def trainer_courses(user) -> list:
    """Canonical courses ``user`` trains, soonest first."""
    from wagtail.models import Locale

    from academy.courses.models import CoursePage

    trainer = trainer_of(user)
    if trainer is None:
        return []
    return list(CoursePage.objects.filter(trainers=trainer, locale=Locale.get_default())
                .order_by("first_starts_at").distinct())


def may_run_course(user, course) -> bool:
    """Staff or one of the course's trainers: may see registrants, record attendance, upload materials."""
    return is_staff(user) or is_trainer_of(user, course)
