"""A Fon.Coop plan with a past online webinar (Teams intervals) and registered learners."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from academy.attendance.intervals import replace_intervals
from academy.courses.models import Session
from academy.funding.models import FundedPlan
from academy.registrations.models import Registration


@dataclass
class Funded:
    plan: FundedPlan
    course: object
    session: Session
    anna: object
    bruno: object
    carla: object


def move_back(course, days: int = 30) -> None:
    delta = datetime.timedelta(days=days)
    for s in Session.objects.filter(course=course):
        Session.objects.filter(pk=s.pk).update(starts_at=s.starts_at - delta, ends_at=s.ends_at - delta)
    course.refresh_schedule()


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def funded(make_course, make_person, member_org) -> Funded:
    course = make_course(title="Privacy nei servizi", days=(1,), minutes=120)
    move_back(course)
    session = course.sessions.get()
    anna = make_person(first_name="Anna", last_name="Rossi", fiscal_code="RSSNNA80A41H501U")
    bruno = make_person(first_name="Bruno", last_name="Bianchi", fiscal_code="BNCBRN75C12F205X")
    carla = make_person(first_name="Carla", last_name="Verdi")
    for p in (anna, bruno, carla):
        Registration.objects.create(course=course, person=p, status=Registration.Status.CONFIRMED)
    start = session.starts_at

    def m(minutes):
        return start + datetime.timedelta(minutes=minutes)

    # Anna: joined early, dropped, rejoined, stayed on after the end -> 0-40 + 50-120 = 110 of 120.
    replace_intervals(session, anna, "teams", [(m(-10), m(40)), (m(50), m(150))])
    # Bruno: exactly 70 % (84 of 120) across two overlapping devices.
    replace_intervals(session, bruno, "teams", [(m(0), m(50)), (m(30), m(84))])
    # Carla: 83 minutes, one short of the minimum.
    replace_intervals(session, carla, "teams", [(m(0), m(83))])
    plan = FundedPlan.objects.create(
        fund="foncoop", title="Competenze digitali 2026", call_code="Avviso 55", plan_code="AVS/055/25I",
        project_code="PRJ-1", responsible_name="Paola Presidente", responsible_role="legale rappresentante",
        proposer=member_org, minimum_attendance=70, starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date.today() + datetime.timedelta(days=90))
    plan.courses.add(course)
    return Funded(plan, course, session, anna, bruno, carla)
