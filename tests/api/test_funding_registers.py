"""Funded plans' registers as data: staff and the responsible person read the plan, its learners (with
codice fiscale) and completeness; the plan's inspector reads its session registers (logged); nobody else."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from academy.api import tokens
from academy.funding.models import FundedPlan, InspectorAccessLog
from academy.funding.services import inspectors
from academy.network.models import HROfficer

pytestmark = pytest.mark.django_db


def _urls(funded) -> tuple[str, str]:
    plan = f"/api/v1/funding/plans/{funded.plan.pk}/"
    return plan, f"{plan}sessions/{funded.session.pk}/register/"


def test_staff_read_learners_with_fiscal_code_login_times_and_completeness(api, funded, staff_user, token_for):
    plan_url, register_url = _urls(funded)
    client = api(token_for(staff_user))
    plans = client.get("/api/v1/funding/plans/").json()["results"]
    assert [p["plan_code"] for p in plans] == ["AVS/055/25I"]
    plan = client.get(plan_url).json()
    learners = {row["full_name"]: row for row in plan["learners"]}
    assert learners[funded.anna.full_name]["fiscal_code"] == "RSSNNA80A41H501U"
    assert learners[funded.carla.full_name]["fiscal_code_missing"] is True
    assert plan["complete"] is False and plan["learners_without_fiscal_code"] == [funded.carla.pk]
    assert [s["id"] for s in plan["sessions"]] == [funded.session.pk]
    assert learners[funded.bruno.full_name]["reaches_minimum"] is True
    assert learners[funded.carla.full_name]["reaches_minimum"] is False
    register = client.get(register_url).json()
    rows = {row["person"]: row for row in register["rows"]}
    assert len(rows[funded.anna.pk]["spans"]) == 2 and rows[funded.anna.pk]["minutes"] == 110
    start = funded.session.starts_at
    assert (datetime.datetime.fromisoformat(rows[funded.anna.pk]["first_login"])
            == start - datetime.timedelta(minutes=10))
    assert register["complete"] is False and register["learners_without_fiscal_code"] == [funded.carla.pk]


def test_the_inspector_reads_session_registers_only_and_is_logged(api, funded, staff_user, make_person):
    plan_url, register_url = _urls(funded)
    now = timezone.now()
    access, _pw = inspectors.create_inspector(funded.plan, name="Ispettore", email="isp@fondo.example",
                                              valid_from=now - datetime.timedelta(hours=1),
                                              valid_until=now + datetime.timedelta(hours=1), by=staff_user)
    client = api(tokens.create_personal_token(access.user, name="i")[1])
    assert client.get(plan_url).json()["learners"] is None
    assert len(client.get(register_url).json()["rows"]) == 3
    assert InspectorAccessLog.objects.filter(access=access, session=funded.session).count() == 1
    other_plan = FundedPlan.objects.create(title="Altro", plan_code="X/1", responsible_name="R",
                                           starts_on=funded.plan.starts_on, ends_on=funded.plan.ends_on)
    assert client.get(f"/api/v1/funding/plans/{other_plan.pk}/").status_code == 403
    inspectors.revoke(access, by=staff_user)
    assert client.get(register_url).status_code in (401, 403)


def test_members_hr_tokens_and_other_plans_people_get_nothing(api, funded, make_person, staff_user, token_for):
    plan_url, register_url = _urls(funded)
    member = make_person()
    for url in ("/api/v1/funding/plans/", plan_url, register_url):
        assert api(token_for(member.user)).get(url).status_code == 403
    responsible = make_person()
    FundedPlan.objects.filter(pk=funded.plan.pk).update(responsible_user=responsible.user)
    assert api(token_for(responsible.user)).get(plan_url).status_code == 200
    HROfficer.objects.create(user=responsible.user, organisation=funded.plan.proposer)
    _t, secret = tokens.issue_organisation_token(by=staff_user, officer=responsible.user,
                                                 organisation=funded.plan.proposer, name="hr")
    assert api(secret).get(plan_url).status_code == 403
