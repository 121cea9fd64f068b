"""The monthly HR digest lists the mandatory training that falls due in the next 90 days."""

from __future__ import annotations

import datetime
from decimal import Decimal

from academy.competences.models import ExternalTraining
from academy.competences.services import send_hr_digests
from academy.core.models import OutboxMessage
from academy.network.models import Person
from academy.obligations.models import Obligation, RiskProfile


def test_digest_lists_refreshers_falling_due_within_90_days(site, make_person, make_officer, member_org):
    RiskProfile.objects.create(organisation=member_org, risk_class="high")
    workers = Obligation.objects.get(code="workers-high")
    today = datetime.date(2026, 5, 3)

    def trained(person, on):
        ExternalTraining.objects.create(person=person, obligation=workers, title="Formazione", date=on,
                                          hours=Decimal(16))

    trained(make_person(first_name="Sara", last_name="Presto"), datetime.date(2021, 7, 20))  # due 20/07/2026
    trained(make_person(first_name="Luca", last_name="Tardi"), datetime.date(2021, 9, 20))  # due in 140 days
    make_person(first_name="Mario", last_name="Mai")
    officer = make_officer(member_org)
    # the digest is written in the officer's language: English here, for the phrases below
    Person.objects.create(user=officer, first_name="Responsabile", last_name="HR", email="hr-en@gruppogamma.coop",
                          organisation=member_org, preferred_language="en")
    assert send_hr_digests(today) == 1
    body = OutboxMessage.objects.get(key=f"hr-digest:{officer.hr_roles.get().pk}:2026-05").body
    due_part, lapsed_part = body.split("Lapsed or overdue")
    assert "Sara Presto — Workers' training — high risk: due by 20/07/2026, 6 h missing" in due_part
    assert "Tardi" not in body
    assert "Mario Mai — Workers' training — high risk: overdue, 16 h missing" in lapsed_part
