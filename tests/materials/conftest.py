"""Fixtures for trainers' materials: staff, trainers, and a private root in a temporary folder so
uploaded files never touch the project's files."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from academy.courses.models import Trainer


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff", "staff@example.coop", "pw-12345!", is_staff=True,
                                                is_superuser=True)


@pytest.fixture
def make_trainer(db):
    def factory(course=None, username: str | None = None) -> Trainer:
        username = username or f"trainer{Trainer.objects.count() + 1}"
        user = get_user_model().objects.create_user(username, f"{username}@example.coop", "pw-12345!")
        trainer = Trainer.objects.create(name=username.title(), user=user)
        if course is not None:
            course.trainers.add(trainer)
            course.save()
        return trainer

    return factory
