"""Every API endpoint, called with a token of each of the sweep's viewers (read and write scopes) and
with none: nobody gets what is not theirs, and no personal data of the registrant leaks."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from academy.api import tokens
from academy.network.models import HROfficer

from .test_url_sweep import unfold

PUBLIC_NAMES = {"api:schema", "api:docs", "api:courses", "api:course", "api:areas"}


def _api_urls(world) -> list[tuple[str, str]]:
    course_ids = [world.course.pk, world.past_course.pk, world.masterclass.pk]
    return [
        *[("api:course", reverse("api:course", args=[pk])) for pk in course_ids],
        ("api:courses", reverse("api:courses") + "?period=past"), ("api:courses", reverse("api:courses")),
        ("api:areas", reverse("api:areas")),
        ("api:my_registrations", reverse("api:my_registrations")),
        ("api:my_certificates", reverse("api:my_certificates")),
        ("api:cancel", reverse("api:cancel", args=[world.registration.pk])),
        ("api:hr_people", reverse("api:hr_people") + "?limit=1000"),
        ("api:hr_person", reverse("api:hr_person", args=[world.registrant.pk])),
        ("api:hr_certificates", reverse("api:hr_certificates") + "?limit=1000"),
        ("api:hr_compliance", reverse("api:hr_compliance") + "?limit=500"),
        ("api:hr_compliance", reverse("api:hr_compliance") + "?status=overdue&limit=500"),
        ("api:hr_person_compliance", reverse("api:hr_person_compliance", args=[world.registrant.pk])),
        ("api:hr_external_training", reverse("api:hr_external_training") + "?limit=1000"),
        *[(name, reverse(name, args=[pk])) for pk in course_ids
          for name in ("api:staff_registrations", "api:staff_attendance")],
        *_funding_urls(world),
    ]


def _funding_urls(world) -> list[tuple[str, str]]:
    """The registrant's plan (Gruppo Gamma's), and a session of it: only staff, its responsible person and
    its inspector may read them (none of them is among the sweep's viewers)."""
    plan = getattr(world, "plan", None)
    if plan is None:
        return []
    session = world.past_course.sessions.first()
    return [("api:funding_plans", reverse("api:funding_plans")),
            ("api:funding_plan", reverse("api:funding_plan", args=[plan.pk])),
            ("api:funding_session_register", reverse("api:funding_session_register", args=[plan.pk, session.pk]))]


def _clients(world):
    yield "no token", APIClient()
    for viewer, user in world.viewers.items():
        if user is None:
            continue
        for scope in ("read", "write"):
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.create_personal_token(user, name=viewer, scope=scope)[1]}")
            yield f"{viewer} ({scope})", client
    # A staff member's organisation token is an HR token of that organisation, never a staff token.
    officer = world.viewers["other cooperative's HR officer"]
    org = HROfficer.objects.filter(user=officer).first().organisation
    _t, secret = tokens.issue_organisation_token(by=world.staff, officer=officer, organisation=org, name="hr", scope="write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    yield "organisation token of another cooperative", client


@pytest.mark.django_db
def test_api_sweep_no_token_gets_anything_that_is_not_its_own(funded_world):
    world = funded_world
    problems = []
    for viewer, client in _clients(world):
        for name, url in _api_urls(world):
            for method in ("get", "post"):
                response = getattr(client, method)(url, {}, format="json")
                where = f"{viewer} {method.upper()} {url} → {response.status_code}"
                if response.status_code >= 500:
                    problems.append(f"server error: {where}")
                text = unfold(response.content.decode("utf-8", errors="replace"))
                for label, secret in world.secrets.items():
                    if secret in text:
                        problems.append(f"{label} leaked: {where}")
                if name not in PUBLIC_NAMES and response.status_code in (200, 201):
                    if name in ("api:my_registrations", "api:my_certificates") and method == "get":
                        continue  # their own (empty) lists
                    if (name in ("api:hr_people", "api:hr_certificates", "api:hr_compliance", "api:hr_external_training")
                            and method == "get" and ("HR officer" in viewer or "organisation token" in viewer)):
                        continue  # their own organisation's (the registrant is not in it: checked above)
                    if name == "api:funding_plans" and method == "get" and "of another plan" in viewer:
                        continue  # their own plan (the registrant is not its learner: checked above)
                    if name == "api:my_registrations" and method == "post":
                        problems.append(f"an empty registration was accepted: {where}")
                        continue
                    problems.append(f"not refused: {where}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_api_sweep_controls_the_entitled_see_the_data(funded_world):
    """The secrets are real: the registrant's own token and staff do get them."""
    world = funded_world
    own = APIClient()
    own.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.create_personal_token(world.registrant.user, name='x')[1]}")
    assert world.certificate.code in own.get(reverse("api:my_certificates")).content.decode()
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.create_personal_token(world.staff, name='x')[1]}")
    rows = staff.get(reverse("api:staff_registrations", args=[world.course.pk])).content.decode()
    assert world.registrant.email in rows
    answer = staff.get(reverse("api:hr_person_compliance", args=[world.registrant.pk])).json()
    assert answer["last_name"] == world.registrant.last_name


@pytest.mark.django_db
def test_api_sweep_controls_staff_read_the_plans_register(funded_world):
    world = funded_world
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.create_personal_token(world.staff, name='x')[1]}")
    plan = staff.get(reverse("api:funding_plan", args=[world.plan.pk])).json()
    assert world.registrant.pk in {row["person"] for row in plan["learners"]}
