"""Every place that shows compliance tells the same story: for a varied population (roles, two risk classes,
several trainings each, days around the deadlines), the dashboard, the person page, the training records,
the XLSX and CSV exports, the monthly digest and My Academy report the same status, deadline and missing
hours for every person and every obligation or requirement."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from academy.competences.engine import item_text, status_label
from academy.competences.models import ExternalTraining, Requirement
from academy.competences.services import (
    Period,
    build_dashboard,
    people_in_scope,
    send_hr_digests,
    training_records,
)
from academy.core.formats import hours as format_hours
from academy.core.models import OutboxMessage
from academy.network.models import Organisation, Person
from academy.obligations.models import Designation, JobRoleMapping, Obligation, RiskProfile
from academy.obligations.rules import add_months

TODAY = timezone.localdate()


def trained(person, code, on, hours, mode="classroom"):
    ExternalTraining.objects.create(person=person, obligation=Obligation.objects.get(code=code), title=f"{code} esterno",
                                    date=on, hours=Decimal(str(hours)), delivery_mode=mode)


@pytest.fixture
def population(site, member_org, make_person, make_course, certify, make_officer):
    unit = Organisation.objects.create(name="Gamma — Comunità ad alto rischio", parent=member_org,
                                       kind=member_org.kind)
    RiskProfile.objects.create(organisation=member_org, risk_class="medium", first_aid_group="B")
    RiskProfile.objects.create(organisation=unit, risk_class="high", first_aid_group="B")
    JobRoleMapping.objects.create(organisation=member_org, job_role="Coordinatrice", role="supervisor")
    privacy = make_course(days=(-400,), title="Privacy")
    Requirement.objects.create(organisation=member_org, course=privacy, renewal_months=12, label="Privacy annuale")
    ago = lambda months, days=0: add_months(TODAY, -months) - datetime.timedelta(days=days)  # noqa: E731
    people = []

    def person(last_name, org=member_org, job_role="OSS"):
        people.append(make_person(org=org, last_name=last_name, job_role=job_role))
        return people[-1]

    trained(person("Oggi"), "workers-medium", ago(60), 12)  # deadline today: due
    trained(person("Ieri"), "workers-medium", ago(60, 1), 12)  # deadline yesterday: lapsed
    split = person("Diviso")  # initial course split over two, refresher split over two
    trained(split, "workers-medium", ago(70), 8)
    trained(split, "workers-medium", ago(69), 4)
    trained(split, "workers-medium", ago(20), 3, "videoconference")
    trained(split, "workers-medium", ago(19), 3)
    certify(split, privacy, on=ago(11, 20))  # privacy expires within 90 days
    person("Mai")  # never trained: overdue
    coordinator = person("Coordinatrice", job_role="Coordinatrice")
    trained(coordinator, "workers-medium", ago(30), 12)
    trained(coordinator, "supervisors", ago(26), 12)
    trained(coordinator, "supervisors", ago(3), 6, "elearning")  # e-learning: does not count
    certify(coordinator, privacy, on=ago(2))
    aider = person("Soccorso", org=unit)
    Designation.objects.create(person=aider, role="first_aider")
    trained(aider, "workers-high", ago(12), 16)
    trained(aider, "first-aid-bc", ago(36, -30), 12)  # deadline in 30 days
    nurse = person("Infermiera", org=unit, job_role="Infermiera")
    Designation.objects.create(person=nurse, role="health_professional")
    trained(nurse, "workers-high", ago(59, -120), 16)  # deadline in ~4 months less: compliant or due by the rule
    ExternalTraining.objects.create(person=nurse, title="ECM", date=TODAY - datetime.timedelta(days=10),
                                    hours=Decimal(0), credits=Decimal(20), ecm_provider_id="1", ecm_event_id="2")
    officer = make_officer(member_org)
    return {"people": people, "officer": officer}


def expected(records):
    """(person id, item key) → (status label, deadline dd/mm/yyyy or "", missing or None), from the records."""
    return {(pk, item.key): (status_label(item.status), f"{item.deadline:%d/%m/%Y}" if item.deadline else "",
                             item.missing) for pk, record in records.items() for item in record.items}


def test_every_place_reports_the_same_status_deadline_and_missing_hours(population, client):
    officer = population["officer"]
    people = people_in_scope(officer)
    with translation.override("it"):
        records = training_records(people, Period.year(TODAY.year))
        truth = expected(records)
        texts = {(pk, i.key): item_text(i) for pk, r in records.items() for i in r.to_act}
    statuses = {v[0] for v in truth.values()}
    assert len(statuses) == 4, statuses  # the population covers compliant, due, lapsed and overdue
    assert len(records) == len(population["people"]) + 0  # the officer has no person row

    # dashboard (the figures behind it and the page)
    board = build_dashboard(people, Period.year(TODAY.year))
    with translation.override("it"):
        assert expected({row.pk: row for row in board.people}) == truth
    # the KPIs never say fewer people than a row of the table below; "compliant" never sits beside missing hours
    for s in board.obligations:
        assert board.with_due >= s.due and board.with_to_act >= s.lapsed + s.overdue
    for row in board.people:
        assert row.status != "compliant" or row.compliance.hours_missing == 0
    summary = {s.pk: s for s in board.obligations if s.is_obligation}
    for key, s in summary.items():
        people_with = [(pk, v) for (pk, k), v in truth.items() if k == f"obligation:{key}"]
        assert s.people == len(people_with)
        assert s.missing == sum((records[pk].compliance.items[[i.key for i in records[pk].items].index(
            f"obligation:{key}")].missing or 0) for pk, v in people_with if v[0] != status_label("compliant"))
    assert client.login(username=officer.username, password="pw-12345!")
    response = client.get(reverse("hr:dashboard"))
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    for row in board.people:
        with translation.override("it"):
            assert f'data-testid="person-status">{status_label(row.status)}<' in page

    # person page: one row per item with its status, deadline and missing amount
    for pk, record in records.items():
        html = client.get(reverse("hr:person", args=[pk])).content.decode()
        for item in record.items:
            status, deadline, missing = truth[(pk, item.key)]
            row = re.search(rf'<tr data-item="{item.key}">(.*?)</tr>', html, re.S).group(1)
            assert f">{status}<" in row and (deadline or "—") in row
            if missing is not None:
                assert format_hours(missing) in row

    # XLSX compliance sheet: real dates, same figures
    xlsx = client.get(reverse("hr:export_report", args=["xlsx"]), {"year": TODAY.year})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[2]
    rows = list(sheet.iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(rows[0])}
    by_name = {r.person.last_name: pk for pk, r in records.items()}
    seen = {}
    for cells in sheet.iter_rows(min_row=2):
        values = [c.value for c in cells]
        pk = by_name[values[col["Cognome"]]]
        deadline_cell = cells[col["Scadenza"]]
        if deadline_cell.value:
            assert deadline_cell.is_date and deadline_cell.number_format == "DD/MM/YYYY"
        seen[(pk, values[col["Obbligo o requisito"]])] = (
            values[col["Stato"]], f"{deadline_cell.value:%d/%m/%Y}" if deadline_cell.value else "",
            values[col["Mancante"]])
    titles = {(pk, i.key): i.title for pk, r in records.items() for i in r.items}
    assert len(seen) == len(truth)
    for key, (status, deadline, missing) in truth.items():
        got = seen[(key[0], titles[key])]
        assert got[:2] == (status, deadline)
        assert (got[2] in ("", None)) if missing is None else Decimal(str(got[2])) == missing

    # CSV: the same sheet, Italian style
    text = client.get(reverse("hr:export_report", args=["csv"]), {"year": TODAY.year}).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    col = {name: i for i, name in enumerate(lines[0])}
    got = {(by_name[r[col["Cognome"]]], r[col["Obbligo o requisito"]]): (r[col["Stato"]], r[col["Scadenza"]],
                                                                           r[col["Mancante"]]) for r in lines[1:]}
    for key, (status, deadline, missing) in truth.items():
        csv_status, csv_deadline, csv_missing = got[(key[0], titles[key])]
        assert (csv_status, csv_deadline) == (status, deadline)
        assert csv_missing == ("" if missing is None else str(float(missing)).replace(".", ","))

    # monthly digest: every item to act on, in the same words
    send_hr_digests(TODAY)
    body = OutboxMessage.objects.get(key__startswith="hr-digest:").body
    for text_line in texts.values():
        assert text_line in body

    # My Academy: each person sees their own items, the same way
    for person in Person.objects.filter(pk__in=list(records)):
        assert client.login(username=person.user.username, password="pw-12345!")
        html = client.get(reverse("my_academy")).content.decode()
        for item in records[person.pk].items:
            if item.unit == "credits":
                continue
            status, deadline, _missing = truth[(person.pk, item.key)]
            row = re.search(rf'<tr data-item="{item.key}">(.*?)</tr>', html, re.S).group(1)
            assert f">{status}<" in row and (deadline or "—") in row
