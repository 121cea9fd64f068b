from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from academy.courses.models import Trainer
from academy.registrations.models import Registration


@pytest.fixture
def register():
    def factory(course, person, status=Registration.Status.CONFIRMED) -> Registration:
        return Registration.objects.create(course=course.canonical, person=person, status=status)

    return factory


@pytest.fixture
def make_user(db):
    def factory(username: str, *, staff: bool = False):
        return get_user_model().objects.create_user(username=username, email=f"{username}@example.org",
                                                    password="pw-12345!", is_staff=staff)

    return factory


@pytest.fixture
def trainer_of(make_user):
    """A user who is a trainer (``Trainer.user``) of ``course``."""

    def factory(course, username: str = "trainer"):
        user = make_user(username)
        trainer = Trainer.objects.create(name=f"Docente {username}", user=user)
        course.trainers.add(trainer)
        course.save()
        return user

    return factory
