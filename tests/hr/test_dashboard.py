"""The dashboard's figures, computed from ``.values()`` rows and dict lookups, agree with the training
records (the person-by-person path used by the person page and the exports), and its people table
is the same markup, escaped, filtered and paginated."""

from __future__ import annotations

import datetime
from collections import defaultdict
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
    EXPIRING,
    MISSING,
    Period,
    build_dashboard,
    people_in_scope,
    training_records,
)
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


def reference_figures(records, period):
    """The dashboard's figures, computed the slow, obvious way from full training records."""
    per_org = defaultdict(lambda: {"staff": 0, "participants": 0, "compliant": 0, "hours": Decimal(0)})
    attended = set(AttendanceRecord.objects.filter(
        person_id__in=list(records), minutes__gt=0, session__starts_at__date__gte=period.start,
        session__starts_at__date__lte=period.end).values_list("person_id", flat=True))
    area_hours, external_hours, rows = defaultdict(Decimal), Decimal(0), {}
    for record in records.values():
        figures = per_org[record.person.organisation.name]
        figures["staff"] += 1
        figures["hours"] += record.hours
        took_part = bool(record.period_entries) or record.person.pk in attended
        figures["participants"] += took_part
        figures["compliant"] += record.status == COMPLIANT
        for entry in record.period_entries:
            if entry.is_external:
                external_hours += entry.hours
            for area_id in entry.area_ids:
                area_hours[area_id] += entry.hours
        rows[record.person.pk] = (record.status, record.hours, [r.requirement.label for r in record.missing],
                                  [(r.requirement.label, r.expires_on) for r in record.expiring])
    return dict(per_org), dict(area_hours), external_hours, rows


@pytest.mark.parametrize("expiring_days", [60, 400])
def test_dashboard_agrees_with_training_records(scenario, expiring_days):
    people = people_in_scope(scenario["officer"]).order_by("last_name", "first_name", "pk")
    records = training_records(people, PERIOD, expiring_days=expiring_days)
    board = build_dashboard(people, PERIOD, expiring_days=expiring_days)
    per_org, area_hours, external_hours, rows = reference_figures(records, PERIOD)

    assert [row.pk for row in board.people] == list(records)
    assert {row.pk: (row.status, row.hours, [r.requirement.label for r in row.missing],
                     [(r.requirement.label, r.expires_on) for r in row.expiring]) for row in board.people} == rows
    assert {f.organisation.name: {"staff": f.staff, "participants": f.participants, "compliant": f.compliant,
                                  "hours": f.hours} for f in board.organisations} == per_org
    statuses = [r.status for r in records.values()]
    assert (board.staff, board.compliant, board.expiring, board.missing) == (
        len(records), statuses.count(COMPLIANT), statuses.count(EXPIRING), statuses.count(MISSING))
    assert board.participants == sum(f["participants"] for f in per_org.values())
    assert board.hours == sum(r.hours for r in records.values())
    from academy.courses.models import ThematicArea

    expected_bars = [(a.display_name, float(area_hours.get(a.pk, 0)))
                     for a in ThematicArea.objects.order_by("sort_order", "name")]
    assert [(b.label, b.value) for b in board.hours_by_area[:-1]] == expected_bars
    assert board.hours_by_area[-1].value == float(external_hours)


def test_dashboard_cases_by_hand(scenario):
    """The same scenario, spelled out (so that a bug shared by both paths still fails)."""
    p = scenario["people"]
    board = build_dashboard(people_in_scope(scenario["officer"]), PERIOD)
    rows = {row.pk: row for row in board.people}
    status = {key: rows[person.pk].status for key, person in p.items()}
    assert status == {
        "compliant": COMPLIANT,
        "expiring": EXPIRING,  # privacy course 700 days ago: expires in 30 days; competence: 25 days
        "external-only": MISSING,  # has the competence, but not the course gamma requires
        "equivalent": COMPLIANT,  # external training recognised as the course, 400 days ago (24 months)
        "revoked": MISSING, "attendee": MISSING, "future": MISSING,
        "two-areas": COMPLIANT, "nothing": MISSING, "<script>": MISSING,
    }
    assert [r.requirement.label for r in rows[p["external-only"].pk].missing] == ["Privacy"]
    assert sorted(r.requirement.label for r in rows[p["nothing"].pk].missing) == [
        "Dati <educatori>", "Digitale una tantum"]
    assert rows[p["expiring"].pk].hours == Decimal(0)  # both trainings before the period
    assert rows[p["two-areas"].pk].hours == Decimal(2)  # 120 minutes
    took_part = {"compliant", "external-only", "attendee", "two-areas"}
    assert board.participants == len(took_part)
    bars = {b.label: b.value for b in board.hours_by_area}
    course_hours = float(p["compliant"].certificates.get().hours)
    assert bars["Educazione"] == course_hours + 2 and bars["Digitale"] == 2 and bars["Socio-sanitario"] == 0
    assert board.hours_by_area[-1].value == 4  # external training, last bar


def test_people_table_markup_escaping_filter_and_pages(scenario, client, monkeypatch):
    client.force_login(scenario["officer"])
    p = scenario["people"]
    body = client.get(reverse("hr:dashboard"), {"start": PERIOD.start, "end": PERIOD.end}).content.decode()
    url = reverse("hr:person", args=[p["expiring"].pk])
    assert (f'<tr><th scope="row"><a href="{url}">Cognome-expiring Nome') in body
    with translation.override("it"):
        expiring_label, compliant_label = gettext("Expiring"), gettext("Compliant")
        nobody_label = gettext("No one here yet.")
    assert f'<td class="status-expiring">{expiring_label}: ' in body and "Dati &lt;educatori&gt; (" in body
    assert "Cognome-&lt;script&gt; &lt;b&gt;Eva&lt;/b&gt;" in body and "<b>Eva" not in body
    # "equivalent": compliant, no hours in the period
    assert f'<td>0</td><td class="status-compliant">{compliant_label}</td>' in body
    board = build_dashboard(people_in_scope(scenario["officer"]), PERIOD)
    for row in board.people:
        for r in row.expiring:
            assert f"{r.requirement.label.replace('<', '&lt;').replace('>', '&gt;')} ({r.expires_on:%d/%m/%Y})" \
                in body
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
    assert f'<tbody><tr><td colspan="5">{nobody_label}</td></tr></tbody>' in empty
