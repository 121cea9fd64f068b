"""The reads of every signed-in request and of the register endpoint stay one query each: the member
with person and organisation, and the course with what ``register`` needs and its schedule SEQUENCE."""

from __future__ import annotations

import pytest

from academy.courses.models import CoursePage
from academy.registrations import services

pytestmark = pytest.mark.django_db


def test_each_call_reads_its_own_course_in_one_query(make_course, make_person, django_assert_num_queries):
    small, large = make_course(capacity=1), make_course(capacity=50, days=(3, 4))
    services.register(make_person(), small)
    services.register(make_person(), small)
    services.register(make_person(), large)
    with django_assert_num_queries(1):
        first = services.registrable_course(small.pk)
        assert (first.pk, first.capacity, first.schedule_sequence) == (small.pk, 1, 0)
    with django_assert_num_queries(1):
        second = services.registrable_course(large.pk)
        assert (second.pk, second.capacity, second.canonical) == (large.pk, 50, second)
    assert services.seat_counts(small.pk) == (1, 1) and services.seat_counts(large.pk) == (1, 0)
    assert services.seat_counts(999_999) == (0, 0)
    with pytest.raises(CoursePage.DoesNotExist):
        services.registrable_course(999_999)


def test_the_member_is_loaded_with_person_and_organisation_in_one_query(make_person, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    from academy.network.auth import MemberBackend

    member = make_person()
    loner = get_user_model().objects.create_user("nobody@example.org")
    with django_assert_num_queries(1):
        user = MemberBackend().get_user(member.user_id)
        assert (user.pk, user.person.pk, user.person.organisation.name) == (
            member.user_id, member.pk, member.organisation.name)
    with django_assert_num_queries(1):
        alone = MemberBackend().get_user(loner.pk)
        assert alone.pk == loner.pk and getattr(alone, "person", None) is None
    loner.is_active = False
    loner.save()
    assert MemberBackend().get_user(loner.pk) is None
    assert MemberBackend().get_user("not-a-number") is None and MemberBackend().get_user(987_654) is None
