"""The dashboard's figures, the status each person's training record shows, and the people table
(escaped, filtered and paginated)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from academy.attendance.models import AttendanceRecord
from academy.competences import views
from academy.competences.models import Requirement
from academy.competences.services import (
    COMPLIANT,
    DUE,
    OVERDUE,
    Period,
    build_dashboard,
    people_in_scope,
    training_records,
)
from academy.core.formats import hours as format_hours
from certificates.models import Certificate

TODAY = timezone.localdate()
PERIOD = Period(TODAY - datetime.timedelta(days=200), TODAY)


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def scenario(site, make_course, make_person, make_officer, certify, external, privacy):
    """Two cooperatives of one consortium, course and competence requirements at both levels,
    job roles, revoked certificates, external training (with a competence, or recognised as a
    course), training outside the period and in the future, attendance without a certificate."""
    gamma = site.organisations["Cooperativa Gruppo Gamma"]
    nazareth = site.organisations["Cooperativa Nazareth"]
    consortium = gamma.parent
    assert nazareth.parent_id == consortium.pk
    course_a = make_course(days=(-30,), areas=("educazione",))
    course_a.competences.set([privacy])
    course_a.save()  # a ParentalManyToManyField is written on save
    course_b = make_course(days=(-20,), areas=("educazione", "digitale"), minutes=120)
    course_c = make_course(days=(-10,), areas=("socio-sanitario",))
    Requirement.objects.create(organisation=gamma, course=course_a, renewal_months=24, label="Privacy")
    Requirement.objects.create(organisation=consortium, competence=privacy, job_role="Educatore",
                               renewal_months=12, label="Dati <educatori>")
    Requirement.objects.create(organisation=nazareth, course=course_b, label="Digitale una tantum")

    people = {}

    def person(key, org, **fields):
        people[key] = make_person(org=org, last_name=f"Cognome-{key}", **fields)
        return people[key]

    certify(person("compliant", gamma), course_a, on=days_ago(30))
    certify(person("expiring", gamma, job_role="Educatore"), course_a, on=days_ago(700))
    external(people["expiring"], on=days_ago(340), competences=[privacy], hours="2.5")
    external(person("external-only", gamma, job_role="educatore "), on=days_ago(5), competences=[privacy])
    external(person("equivalent", gamma), on=days_ago(400), equivalent_course=course_a, hours="6")
    certify(person("revoked", gamma), course_a, on=days_ago(30), status=Certificate.Status.REVOKED)
    attendee = person("attendee", gamma)
    AttendanceRecord.objects.create(session=course_c.sessions.get(), person=attendee, source="checkin",
                                    minutes=45)
    certify(person("future", gamma), course_a, on=TODAY + datetime.timedelta(days=3))
    certify(person("two-areas", nazareth), course_b, on=days_ago(20))
    certify(people["two-areas"], course_c, on=days_ago(400))
    person("nothing", nazareth, job_role="Educatore")
    person("<script>", nazareth, first_name="<b>Eva</b>")
    return {"people": people, "consortium": consortium, "gamma": gamma, "officer": make_officer(consortium)}


def test_dashboard_cases_by_hand(scenario):
    """Status, hours, participants and bars of the scenario, person by person."""
    p = scenario["people"]
    board = build_dashboard(people_in_scope(scenario["officer"]), PERIOD)
    rows = {row.pk: row for row in board.people}
    status = {key: rows[person.pk].status for key, person in p.items()}
    assert status == {
        "compliant": COMPLIANT,
        "expiring": DUE,  # privacy course 700 days ago: expires in 30 days; competence: 25 days
        "external-only": OVERDUE,  # has the competence, but not the course gamma requires
        "equivalent": COMPLIANT,  # external training recognised as the course, 400 days ago (24 months)
        "revoked": OVERDUE, "attendee": OVERDUE, "future": OVERDUE,
        "two-areas": COMPLIANT, "nothing": OVERDUE, "<script>": OVERDUE,
    }
    assert [i.title for i in rows[p["external-only"].pk].to_act] == ["Privacy"]
    assert sorted(i.title for i in rows[p["nothing"].pk].to_act) == [
        "Dati <educatori>", "Digitale una tantum"]
    assert rows[p["expiring"].pk].hours == Decimal(0)  # both trainings before the period
    assert rows[p["two-areas"].pk].hours == Decimal(2)  # 120 minutes
    took_part = {"compliant", "external-only", "attendee", "two-areas"}
    assert board.participants == len(took_part)
    bars = {b.label: b.value for b in board.hours_by_area}
    course_hours = float(p["compliant"].certificates.get().hours)
    assert bars["Educazione"] == course_hours + 2 and bars["Digitale"] == 2 and bars["Socio-sanitario"] == 0
    assert board.hours_by_area[-1].value == 4  # external training, last bar
    shown = {b.label: b.display for b in board.hours_by_area}  # the chart's labels, in Italian
    assert shown["Educazione"] == format_hours(course_hours + 2) and shown["Digitale"] == "2"


def test_training_records_show_the_scenario_statuses(scenario):
    """The person page and the exports read the same requirement statuses as the dashboard."""
    p = scenario["people"]
    records = training_records(people_in_scope(scenario["officer"]), PERIOD)
    assert {key: records[person.pk].status for key, person in p.items()} == {
        "compliant": COMPLIANT, "expiring": DUE, "external-only": OVERDUE, "equivalent": COMPLIANT,
        "revoked": OVERDUE, "attendee": OVERDUE, "future": OVERDUE, "two-areas": COMPLIANT,
        "nothing": OVERDUE, "<script>": OVERDUE,
    }
    expiring = [i for i in records[p["expiring"].pk].items if i.status == DUE]
    assert sorted(i.title for i in expiring) == ["Dati <educatori>", "Privacy"]
    assert records[p["two-areas"].pk].hours == Decimal(2)


def test_people_table_markup_escaping_filter_and_pages(scenario, client, monkeypatch):
    client.force_login(scenario["officer"])
    p = scenario["people"]
    body = client.get(reverse("hr:dashboard"), {"start": PERIOD.start, "end": PERIOD.end}).content.decode()
    url = reverse("hr:person", args=[p["expiring"].pk])
    assert (f'<tr><th scope="row"><a href="{url}">Cognome-expiring Nome') in body
    with translation.override("it"):
        expiring_label, compliant_label = gettext("Due"), gettext("Compliant")
        nobody_label = gettext("No one here yet.")
    assert f'<td class="status-due" data-testid="person-status">{expiring_label}</td>' in body
    assert "Dati &lt;educatori&gt;" in body
    assert "Cognome-&lt;script&gt; &lt;b&gt;Eva&lt;/b&gt;" in body and "<b>Eva" not in body
    # "equivalent": compliant, no hours in the period
    assert f'<td>0</td><td class="status-compliant" data-testid="person-status">{compliant_label}</td>' in body
    board = build_dashboard(people_in_scope(scenario["officer"]), PERIOD)
    for row in board.people:
        for i in row.to_act:
            if i.status == DUE:
                assert f"{i.title.replace('<', '&lt;').replace('>', '&gt;')}" in body
                assert f"{i.deadline:%d/%m/%Y}" in body
    # Status filter.
    body = client.get(reverse("hr:dashboard"), {"status": "compliant"}).content.decode()
    assert "Cognome-compliant" in body and "Cognome-nothing" not in body
    # Pages.
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    first = client.get(reverse("hr:dashboard"))
    assert first.content.decode().count('<tr><th scope="row"><a href="/') == 4
    assert first.context["page"].paginator.num_pages == 3
    last = client.get(reverse("hr:dashboard"), {"page": 3}).content.decode()
    assert last.count('<tr><th scope="row"><a href="/') == len(p) - 8
    empty = client.get(reverse("hr:dashboard"), {"q": "nobody-has-this-name"}).content.decode()
    assert f'<tbody><tr><td colspan="6">{nobody_label}</td></tr></tbody>' in empty


def test_percentages_read_the_same_in_the_chart_and_the_table_in_each_language():
    """Issue 27 item 12: one formatter, "50,0%" in Italian and "50.0%" in English, wherever it appears."""
    from django.template import Context, Template
    from django.utils import translation

    from academy.core.formats import percent

    for language, expected in (("it", "50,0%"), ("en", "50.0%")):
        with translation.override(language):
            assert percent(50.0) == expected
            assert Template("{% load academy_formats %}{{ v|percent }}").render(Context({"v": 50})) == expected
