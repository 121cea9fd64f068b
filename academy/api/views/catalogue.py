"""The public catalogue, as the programme page shows it (``academy.courses.catalogue``)."""

from __future__ import annotations

import datetime

from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.models import Locale

from academy.core.urls import absolute_url
from academy.courses.catalogue import KINDS, PAST, UPCOMING, attach_sessions, course_kind, find_courses
from academy.courses.models import CoursePage, ThematicArea
from academy.registrations.services import attach_public_states

from ..serializers import AreaSerializer, CourseSerializer
from .base import LANG_PARAMETER, LocalisedView


def _canonical_ids(courses: list[CoursePage]) -> dict[str, int]:
    default = Locale.get_default()
    return dict(CoursePage.objects.filter(translation_key__in={c.translation_key for c in courses}, locale=default)
                .values_list("translation_key", "pk"))


def course_rows(courses: list[CoursePage]) -> list[dict]:
    attach_public_states(courses)
    ids = _canonical_ids(courses)
    return [{
        "id": ids.get(c.translation_key, c.pk), "title": c.title, "kind": course_kind(c),
        "url": absolute_url(c.url or ""), "first_starts_at": c.first_starts_at, "last_ends_at": c.last_ends_at,
        "hours": c.hours, "areas": [{"slug": a.slug, "name": a.display_name} for a in c.areas.all()],
        "registration_state": c.public_state.code, "registration_state_label": c.public_state.label,
        "seats_free": c.public_state.free_seats,
        "sessions": [{"id": s.pk, "title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at, "mode": s.mode,
                      "venue": s.venue} for s in c.scheduled_sessions()],
    } for c in courses]


def _date(params, key: str) -> datetime.date | None:
    value = params.get(key)
    if not value:
        return None
    day = parse_date(value) if len(value) == 10 else None
    if day is None:
        raise ValidationError({key: ["Use the format YYYY-MM-DD."]})
    return day


class CourseList(LocalisedView):
    permission_classes = [AllowAny]
    pagination_class = LimitOffsetPagination

    @extend_schema(parameters=[
        LANG_PARAMETER,
        OpenApiParameter("period", str, enum=[UPCOMING, PAST]),
        OpenApiParameter("area", str, description="A thematic area's slug."),
        OpenApiParameter("kind", str, enum=list(KINDS)),
        OpenApiParameter("q", str, description="Full-text search."),
        OpenApiParameter("starts_from", datetime.date), OpenApiParameter("starts_until", datetime.date),
        OpenApiParameter("limit", int), OpenApiParameter("offset", int),
    ], responses=CourseSerializer(many=True), summary="Courses in the programme")
    def get(self, request):
        params = request.query_params
        period = params.get("period", UPCOMING)
        if period not in (UPCOMING, PAST):
            raise ValidationError({"period": [f"One of {UPCOMING}, {PAST}."]})
        kind = params.get("kind", "")
        if kind and kind not in KINDS:
            raise ValidationError({"kind": [f"One of {', '.join(KINDS)}."]})
        since, until = _date(params, "starts_from"), _date(params, "starts_until")
        courses = find_courses(Locale.get_active(), period=period, area=params.get("area", "")[:100], kind=kind,
                               query=params.get("q", "")[:200])
        courses = [c for c in courses if c.first_starts_at is not None
                   and (since is None or c.first_starts_at.date() >= since)
                   and (until is None or c.first_starts_at.date() <= until)]
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(courses, request, view=self)
        return paginator.get_paginated_response(CourseSerializer(course_rows(page), many=True).data)


class CourseDetail(LocalisedView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[LANG_PARAMETER], responses=CourseSerializer, summary="One course")
    def get(self, request, course_id: int):
        canonical = get_object_or_404(CoursePage.objects.live().public(), pk=course_id, locale=Locale.get_default())
        course = (CoursePage.objects.live().public().filter(translation_key=canonical.translation_key,
                                                             locale=Locale.get_active()).first() or canonical)
        attach_sessions([course])
        return Response(CourseSerializer(course_rows([course])[0]).data)


class AreaList(LocalisedView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[LANG_PARAMETER], responses=AreaSerializer(many=True), summary="Thematic areas")
    def get(self, request):
        return Response(AreaSerializer([{"slug": a.slug, "name": a.display_name} for a in ThematicArea.objects.all()],
                                       many=True).data)
