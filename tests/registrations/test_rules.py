"""The one "registration open" rule and the one schedule SEQUENCE, as the page and the service see them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from academy.core.models import OutboxMessage
from academy.courses.models import CoursePage, RegistrationState
from academy.registrations import services

pytestmark = pytest.mark.django_db


def test_registration_is_open_at_the_deadline_itself_and_closed_just_after(make_course, make_person):
    deadline = timezone.now() + datetime.timedelta(days=1)
    course = make_course(registration_deadline=deadline)
    assert course.registration_state(deadline) == RegistrationState.OPEN
    assert course.registration_state(deadline + datetime.timedelta(microseconds=1)) == RegistrationState.DEADLINE_PASSED
    assert services.registration_blocker(make_person(), course, now=deadline) is None
    late = deadline + datetime.timedelta(microseconds=1)
    assert isinstance(services.registration_blocker(make_person(), course, now=late), services.DeadlinePassed)


def test_the_page_and_the_service_agree_at_the_end_of_the_last_session(make_course, make_person):
    course = make_course(days=(-1,))
    end = course.last_ends_at
    assert course.registration_state(end - datetime.timedelta(seconds=1)) == RegistrationState.OPEN
    assert course.registration_state(end) == RegistrationState.PAST
    blocker = services.registration_blocker(make_person(), course, now=end)
    assert isinstance(blocker, services.RegistrationClosed)


def test_an_unpublished_course_is_closed_on_the_page_and_in_the_service(make_course, make_person):
    course = make_course()
    course.unpublish()
    course = CoursePage.objects.get(pk=course.pk)
    assert not course.registration_open
    assert course.registration_state() == RegistrationState.UNPUBLISHED
    with pytest.raises(services.RegistrationClosed):
        services.register(make_person(), course)


def test_the_schedule_sequence_grows_when_a_session_is_cancelled(make_course):
    course = make_course(days=(3, 10))
    first, second = course.sessions.order_by("starts_at")
    second.starts_at += datetime.timedelta(hours=1)
    second.ends_at += datetime.timedelta(hours=1)
    second.save()  # moved: sequence 1
    moved = services.registrable_course(course.pk).schedule_sequence
    second.cancelled = True
    second.save()  # cancelled: sequence 2, still part of the schedule's history
    assert services.registrable_course(course.pk).schedule_sequence > moved
    assert services.registrable_course(course.pk).schedule_sequence == CoursePage.objects.get(
        pk=course.pk).schedule_sequence == 2


def test_confirmation_and_cancellation_keys_carry_the_same_schedule_sequence(make_course, make_person):
    course = make_course(days=(3, 10))
    session = course.sessions.order_by("starts_at").last()
    session.cancelled = True
    session.save()
    registration = services.register(make_person(), services.registrable_course(course.pk))
    services.cancel(registration)
    keys = set(OutboxMessage.objects.filter(key__startswith=f"registration:{registration.pk}:")
               .values_list("key", flat=True))
    sequence = CoursePage.objects.get(pk=course.pk).schedule_sequence
    assert keys == {f"registration:{registration.pk}:confirmed:{sequence}",
                    f"registration:{registration.pk}:cancelled:{sequence + 1}"}


def test_registrations_and_their_history_stay_out_of_the_wagtail_reference_index(
        make_course, make_person, django_capture_on_commit_callbacks):
    """Wagtail's "usage" index is for pages and snippets; a registration (and its history row) is no use
    of the course page, and indexing each one cost a background job per registration in a rush."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    from academy.registrations.models import Registration, RegistrationEvent

    course, person = make_course(), make_person()
    with django_capture_on_commit_callbacks(execute=True):  # the index job is queued on commit
        services.register(person, course)
    types = ContentType.objects.get_for_models(Registration, RegistrationEvent).values()
    assert not ReferenceIndex.objects.filter(content_type__in=types).exists()
