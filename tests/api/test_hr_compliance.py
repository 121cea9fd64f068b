"""The compliance answer through the API: the one engine's items, within the HR officer's scope, with the
legal reference, the deadline and what to do; filters; a constant number of queries per page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy.api.models import ApiAccessLog
from academy.competences.engine import load_compliance
from academy.competences.models import ExternalTraining
from academy.network.models import Person
from academy.obligations.models import Obligation, RiskProfile

pytestmark = pytest.mark.django_db
URL = "/api/v1/hr/compliance/"


@pytest.fixture
def gamma_and_nazareth(site, make_person):
    gamma, nazareth = site.organisations["Cooperativa Gruppo Gamma"], site.organisations["Cooperativa Nazareth"]
    for org in (gamma, nazareth):
        RiskProfile.objects.create(organisation=org, risk_class="medium")
    workers = Obligation.objects.get(code="workers-medium")
    untrained = make_person(org=gamma, last_name="Aaberg")
    trained = make_person(org=gamma, last_name="Abate")
    ExternalTraining.objects.create(person=trained, obligation=workers, title="Formazione lavoratori",
                                    date=timezone.localdate() - datetime.timedelta(days=30), hours=Decimal(12))
    outsider = make_person(org=nazareth, last_name="Aaberg")
    return untrained, trained, outsider, workers


def _rows(response) -> dict[int, dict]:
    assert response.status_code == 200, response.content
    return {row["person"]: row for row in response.json()["results"]}


def test_an_hr_officer_gets_the_engines_answer_for_their_own_people_only(
        api, hr_officer, token_for, gamma_and_nazareth):
    untrained, trained, outsider, workers = gamma_and_nazareth
    secret = token_for(hr_officer("Cooperativa Gruppo Gamma"))
    rows = _rows(api(secret).get(URL, {"limit": 500, "lang": "en"}))
    assert untrained.pk in rows and trained.pk in rows and outsider.pk not in rows
    expected = load_compliance(Person.objects.filter(pk=untrained.pk)).for_person(untrained.pk)
    row = rows[untrained.pk]
    assert row["status"] == expected.status == "overdue" and row["status_label"] == "Overdue"
    item = next(i for i in row["items"] if i["code"] == "workers-medium")
    assert item["legal_reference"] == workers.legal_reference != ""
    assert item["status"] == "overdue" and item["to_do"].startswith(workers.title_en)
    assert f"/hr/obligations/{workers.pk}/plan/" in item["courses_url"]
    done = next(i for i in rows[trained.pk]["items"] if i["code"] == "workers-medium")
    assert done["status"] == "compliant" and done["to_do"] == "" and done["deadline"]
    assert api(secret).get(f"/api/v1/hr/people/{outsider.pk}/compliance/").status_code == 404
    one = api(secret).get(f"/api/v1/hr/people/{untrained.pk}/compliance/").json()
    assert [i["code"] for i in one["items"]] == [i["code"] for i in row["items"]]
    assert one["status_label"] != "Overdue"  # Italian by default
    assert ApiAccessLog.objects.filter(path__startswith=URL, people=len(rows)).exists()


def test_filters_by_status_and_obligation(api, hr_officer, token_for, gamma_and_nazareth):
    untrained, trained, _outsider, workers = gamma_and_nazareth
    secret = token_for(hr_officer("Cooperativa Gruppo Gamma"))
    overdue = _rows(api(secret).get(URL, {"status": "overdue", "obligation": workers.code}))
    assert untrained.pk in overdue and trained.pk not in overdue  # (the officer is a worker too)
    assert [i["code"] for i in overdue[untrained.pk]["items"]] == ["workers-medium"]
    compliant = _rows(api(secret).get(URL, {"status": "compliant", "obligation": str(workers.pk)}))
    assert trained.pk in compliant and untrained.pk not in compliant
    bad = api(secret).get(URL, {"status": "missing"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "status" in bad.json()["errors"]
    assert api(secret).get(URL, {"obligation": "no-such"}).status_code == 400
    assert api(secret).get(URL, {"due_days": "0"}).status_code == 400


def test_a_page_costs_the_same_queries_whatever_its_people(api, site, make_person, hr_officer, token_for,
                                                          gamma_and_nazareth):
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    workers = gamma_and_nazareth[3]
    for n in range(6):
        person = make_person(org=gamma, last_name=f"Zanetti{n}")
        for k in range(n):
            ExternalTraining.objects.create(person=person, obligation=workers, title="Aggiornamento",
                                            date=timezone.localdate() - datetime.timedelta(days=100 * (k + 1)),
                                            hours=Decimal(6))
    client = api(token_for(hr_officer("Cooperativa Gruppo Gamma")))
    counts = []
    for offset in (0, 3, 6):
        client.get(URL, {"limit": 3, "offset": offset})  # warm the per-process caches (site, locale)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"limit": 3, "offset": offset})
        assert len(response.json()["results"]) == 3
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_a_member_and_a_staff_only_token_shape(api, make_person, token_for):
    assert api(token_for(make_person().user)).get(URL).status_code == 403
    assert api().get(URL).status_code == 401
