"""One rule for "trainer of this course": the trainers listed on the canonical (Italian) page.

The check-in (``may_check_in``) and the registrants list (``can_see_registrants``) used to disagree:
one accepted a trainer listed on any translation, the other only the page it was handed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.attendance import services
from academy.attendance.models import AttendanceRecord
from academy.courses.models import Trainer
from academy.registrations.views import can_see_registrants

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_pair(make_course, make_person, register, make_user, site):
    course = make_course(days=(0,), minutes=60, mode="in_person", english=True)
    english = course.get_translation(site.en).specific
    person = make_person()
    register(course, person)

    def trainer_on(page, username):
        user = make_user(username)
        page.trainers.add(Trainer.objects.create(name=f"Docente {username}", user=user))
        page.save()
        return user

    return {"it": course, "en": english, "person": person, "session": course.sessions.get(),
            "trainer_on": trainer_on}


def test_trainer_listed_only_on_the_english_translation_is_not_a_trainer(client, course_pair):
    english_only = course_pair["trainer_on"](course_pair["en"], "english-only")
    for page in (course_pair["it"], course_pair["en"]):
        assert services.may_check_in(english_only, page) is False
        assert can_see_registrants(english_only, page) == (False, False)
    client.force_login(english_only)
    url = reverse("attendance:session_checkin", args=[course_pair["session"].pk])
    assert client.post(url, {"action": "checkin", "person_id": course_pair["person"].pk}).status_code == 403
    assert client.get(reverse("registrations:registrants", args=[course_pair["en"].pk])).status_code == 403
    assert not AttendanceRecord.objects.exists()


def test_trainer_on_the_italian_page_is_one_also_through_the_english_page(client, course_pair):
    trainer = course_pair["trainer_on"](course_pair["it"], "italian")
    for page in (course_pair["it"], course_pair["en"]):
        assert services.may_check_in(trainer, page) is True
        assert can_see_registrants(trainer, page) == (True, False)
    client.force_login(trainer)
    assert client.get(reverse("registrations:registrants", args=[course_pair["en"].pk])).status_code == 200
    services.check_in(course_pair["session"], course_pair["person"], by=trainer)
    assert AttendanceRecord.objects.get().minutes == 60


def test_superuser_without_staff_flag_counts_as_staff(course_pair, django_user_model):
    boss = django_user_model.objects.create_user("boss", password="pw-12345!", is_superuser=True)
    assert services.may_check_in(boss, course_pair["en"]) is True
    assert can_see_registrants(boss, course_pair["en"]) == (True, True)
