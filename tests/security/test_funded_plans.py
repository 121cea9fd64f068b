"""Two funded plans of two cooperatives share a course: each role sees only the learners it may
(``academy.funding.services.learners.plan_learners``, see ``docs/funded-training.md``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from academy.funding.models import CourseFileLearner
from academy.funding.services.registers import session_register
from academy.network.privacy import anonymise_person

from .conftest import FISCAL_CODE, OTHER_FISCAL_CODE
from .test_url_sweep import readable_text

GAMMA = ("Mario Segreto", FISCAL_CODE)
NAZARETH = ("Nadia Nazareno", OTHER_FISCAL_CODE)


def _documents(plan, session) -> list[str]:
    return [reverse("funding:session_register", args=[plan.pk, session.pk, fmt]) for fmt in ("pdf", "xlsx")] + [
        reverse("funding:plan_summary", args=[plan.pk, fmt]) for fmt in ("pdf", "xlsx")] + [
        reverse("funding:declaration", args=[plan.pk])]


def _seen(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return readable_text(response)


def _assert_lists(text: str, shown: list[tuple[str, str]], hidden: list[tuple[str, str]], where: str) -> None:
    for name, code in shown:
        assert name in text and code in text, f"{name} missing from {where}"
    for name, code in hidden:
        assert name not in text and code not in text, f"{name} leaked in {where}"


@pytest.mark.parametrize("which", ["own", "other"])
def test_a_plans_responsible_person_sees_only_their_cooperatives_learners(funded_world, which):
    world = funded_world
    plan, shown, hidden = ((world.plan, GAMMA, NAZARETH) if which == "own"
                           else (world.other_plan, NAZARETH, GAMMA))
    session = world.past_course.sessions.first()
    for url in _documents(plan, session):
        text = _seen(plan.responsible_user, url)
        if "declaration" in url:
            assert hidden[0] not in text, url  # the declaration counts learners, it names none
            continue
        _assert_lists(text, [shown], [hidden], url)


def test_staff_see_every_learner_of_the_plans_courses(funded_world):
    world = funded_world
    session = world.past_course.sessions.first()
    for plan in (world.plan, world.other_plan):
        text = _seen(world.staff, reverse("funding:session_register", args=[plan.pk, session.pk, "xlsx"]))
        _assert_lists(text, [GAMMA, NAZARETH], [], plan.plan_code)


def test_each_inspector_sees_only_their_plans_learners(funded_world):
    world = funded_world
    session = world.past_course.sessions.first()
    url = reverse("funding:inspector_session", args=[session.pk])
    own = _seen(world.inspector_user, url)
    other = _seen(world.viewers["inspector of another plan"], url)
    assert "Mario Segreto" in own and "Nadia Nazareno" not in own
    assert "Nadia Nazareno" in other and "Mario Segreto" not in other
    assert world.other_plan.title in other and world.plan.title not in other


def test_an_erased_worker_is_kept_only_in_their_own_plans_course_file(funded_world):
    world = funded_world
    anonymise_person(world.other_worker, by=world.staff)

    assert list(CourseFileLearner.objects.filter(person=world.other_worker).values_list("plan__plan_code",
                                                                                        flat=True)) == ["SWEEP/2"]
    session = world.past_course.sessions.first()
    _assert_lists(_seen(world.other_plan.responsible_user,
                        reverse("funding:session_register", args=[world.other_plan.pk, session.pk, "xlsx"])),
                  [NAZARETH], [GAMMA], "Nazareth's register")
    staff_view = session_register(session, world.plan, viewer=world.staff)
    row = next(r for r in staff_view.rows if r.learner.person_id == world.other_worker.pk)
    assert row.learner.full_name == "Anonimo" and row.learner.fiscal_code == ""  # Gamma's file keeps nothing of her
