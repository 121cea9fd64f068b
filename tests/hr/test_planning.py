"""From "who is due" to "done": the officer sees the upcoming courses that satisfy an obligation, registers
several people at once through the registration service, and sees them as planned until the attestato."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from academy.competences.engine import person_compliance
from academy.competences.models import ExternalTraining
from academy.network.models import Person
from academy.obligations.models import CourseModule, Obligation, RiskProfile
from academy.obligations.rules import DUE, OVERDUE, add_months
from academy.registrations.models import Registration


def test_officer_registers_two_people_at_once_and_sees_them_planned(site, member_org, make_person, make_course,
                                                                   make_officer, certify, client):
    RiskProfile.objects.create(organisation=member_org, risk_class="medium")
    workers = Obligation.objects.get(code="workers-medium")
    today = timezone.localdate()
    due = make_person(org=member_org, last_name="Scade")
    ExternalTraining.objects.create(person=due, obligation=workers, title="Lavoratori", hours=Decimal(12),
                                    date=add_months(today, -59))
    never = make_person(org=member_org, last_name="Mai")
    outsider = make_person(org=site.organisations["Cooperativa Nazareth"], last_name="Fuori")
    course = make_course(days=(20,), title="Aggiornamento 6 ore")
    CourseModule.objects.create(course=course, obligation=workers, hours=Decimal(6), delivery_mode="classroom")
    officer = make_officer(member_org)
    assert client.login(username=officer.username, password="pw-12345!")

    url = reverse("hr:plan", args=[workers.pk])
    page = client.get(url).content.decode()
    assert "Aggiornamento 6 ore" in page and "Scade" in page and "Mai" in page and "Fuori" not in page
    response = client.post(url, {"course": course.pk, "people": [due.pk, never.pk, outsider.pk]})
    assert response.status_code == 302
    assert not Registration.objects.exists()  # someone outside the officer's scope: nothing done
    client.post(url, {"course": course.pk, "people": [due.pk, never.pk]})
    assert set(Registration.objects.filter(course=course, status=Registration.Status.CONFIRMED)
               .values_list("person_id", flat=True)) == {due.pk, never.pk}

    items = {p.last_name: next(i for i in person_compliance(p).items if i.obligation == workers)
             for p in Person.objects.filter(pk__in=[due.pk, never.pk])}
    assert (items["Scade"].status, items["Scade"].planned) == (DUE, "Aggiornamento 6 ore")
    assert (items["Mai"].status, items["Mai"].planned) == (OVERDUE, "Aggiornamento 6 ore")
    assert 'data-testid="planned"' in client.get(url).content.decode()
    # the attestato arrives: the refresher counts and nobody is planned any more
    certify(due, course, on=today + datetime.timedelta(days=-1))
    after = next(i for i in person_compliance(due).items if i.obligation == workers)
    assert after.planned == "" and after.status == "compliant"
