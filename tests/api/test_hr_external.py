"""Training done elsewhere through the API: read within scope; created through the HR import's rules,
all rows or none, and only with a write token."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from academy.competences.models import ExternalTraining

pytestmark = pytest.mark.django_db
URL = "/api/v1/hr/external-training/"


@pytest.fixture
def people(site, make_person):
    return (make_person(org=site.organisations["Cooperativa Gruppo Gamma"], fiscal_code="RSSMRA80A01H501U"),
            make_person(org=site.organisations["Cooperativa Nazareth"]))


def _row(person, **extra) -> dict:
    return {"email": person.email, "title": "Primo soccorso", "provider": "Croce Verde",
            "date": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(), "hours": 12, **extra}


def test_rows_are_created_through_the_import_and_read_back(api, people, hr_officer, token_for):
    gamma_worker, _nazareth_worker = people
    officer = hr_officer("Cooperativa Gruppo Gamma")
    client = api(token_for(officer, scope="write"))
    response = client.post(URL, {"rows": [_row(gamma_worker), _row(gamma_worker, hours="4,5", email="",
                                                                     fiscal_code=gamma_worker.fiscal_code)]},
                           format="json")
    assert response.status_code == 201, response.content
    assert [r["hours"] for r in response.json()] == ["12.00", "4.50"]
    saved = ExternalTraining.objects.filter(person=gamma_worker)
    assert saved.count() == 2 and {t.entered_by_id for t in saved} == {officer.pk}
    listed = client.get(URL, {"person": gamma_worker.pk}).json()["results"]
    assert {r["id"] for r in listed} == set(saved.values_list("pk", flat=True))


def test_a_bad_row_changes_nothing_and_says_why(api, people, hr_officer, token_for):
    gamma_worker, nazareth_worker = people
    client = api(token_for(hr_officer("Cooperativa Gruppo Gamma"), scope="write"))
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(URL, {"rows": [_row(gamma_worker), _row(nazareth_worker), _row(gamma_worker, date=future),
                                          _row(gamma_worker, hours="many")]}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body["errors"]) == {"rows[1]", "rows[2]", "rows[3]"}
    assert nazareth_worker.email in body["errors"]["rows[1]"][0]
    assert "future" in body["errors"]["rows[2]"][0] or "futur" in body["errors"]["rows[2]"][0]
    assert not ExternalTraining.objects.exists()


def test_a_read_token_cannot_write_and_nobody_reads_another_cooperative(api, people, hr_officer, token_for):
    gamma_worker, nazareth_worker = people
    officer = hr_officer("Cooperativa Gruppo Gamma")
    refused = api(token_for(officer)).post(URL, {"rows": [_row(gamma_worker)]}, format="json")
    assert refused.status_code == 403 and not ExternalTraining.objects.exists()
    ExternalTraining.objects.create(person=nazareth_worker, title="Altrove", date=timezone.localdate(), hours=2)
    assert api(token_for(officer)).get(URL).json()["results"] == []
    assert api(token_for(officer)).post(URL, {"rows": []}, format="json").status_code == 403
    empty = api(token_for(officer, scope="write")).post(URL, {"rows": []}, format="json")
    assert empty.status_code == 400 and empty["Content-Type"] == "application/problem+json"
