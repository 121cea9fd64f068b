"""HR fixtures: a competence, HR officers, certificates and external training built directly on
the models (the certificate issuing rules are tested with the certificates app)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from academy.competences.models import Competence, CompetenceArea, ExternalTraining
from academy.network.models import HROfficer
from certificates.models import Certificate

_n = itertools.count(1)


@pytest.fixture
def privacy(db) -> Competence:
    area, _ = CompetenceArea.objects.get_or_create(slug="sistemi", defaults={"name": "Sistemi di gestione"})
    return Competence.objects.create(area=area, slug="protezione-dati", name="Protezione dei dati",
                                     name_en="Data protection")


@pytest.fixture
def make_officer(db):
    def factory(org, *, username: str | None = None):
        n = next(_n)
        user = get_user_model().objects.create_user(username=username or f"hr{n}@example.org",
                                                    email=username or f"hr{n}@example.org", password="pw-12345!")
        HROfficer.objects.create(user=user, organisation=org)
        return user

    return factory


@pytest.fixture
def certify():
    def factory(person, course, *, on: datetime.date, hours: str | Decimal | None = None,
                status: str = Certificate.Status.VALID) -> Certificate:
        return Certificate.objects.create(
            code=f"TEST-{next(_n):06d}", course=course, person=person,
            hours=Decimal(str(hours)) if hours is not None else course.hours,
            first_date=on, last_date=on, issued_at=timezone.now(), status=status)

    return factory


@pytest.fixture
def external():
    def factory(person, *, on: datetime.date, hours: str = "4", competences=(), **fields) -> ExternalTraining:
        training = ExternalTraining.objects.create(person=person, title=fields.pop("title", "Corso esterno"),
                                                   date=on, hours=Decimal(hours), **fields)
        training.competences.set(competences)
        return training

    return factory


@pytest.fixture
def gamma(site):
    return site.organisations["Cooperativa Gruppo Gamma"]


@pytest.fixture
def nazareth(site):
    return site.organisations["Cooperativa Nazareth"]
