"""Staff: registrations and attendance of a course, as data (the admin's lists)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from wagtail.models import Locale

from academy.attendance.services import minutes_by_session
from academy.courses.models import CoursePage
from academy.registrations.models import Registration

from ..permissions import IsStaff
from ..serializers import AttendanceSerializer, StaffRegistrationSerializer
from .base import LoggedReadView


def _course(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage, pk=course_id, locale=Locale.get_default())


class CourseRegistrations(LoggedReadView):
    permission_classes = [IsStaff]
    pagination_class = LimitOffsetPagination  # the schema then describes the page, not a bare list

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=list(Registration.Status.values)),
                               OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=StaffRegistrationSerializer(many=True), summary="Registrations of a course")
    def get(self, request, course_id: int):
        rows = Registration.objects.filter(course=_course(course_id)).select_related(
            "person", "person__organisation").order_by("created_at", "pk")
        if request.query_params.get("status") in Registration.Status.values:
            rows = rows.filter(status=request.query_params["status"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        self.people_in_answer = len(page)
        return paginator.get_paginated_response(StaffRegistrationSerializer(page, many=True).data)


class CourseAttendance(LoggedReadView):
    permission_classes = [IsStaff]

    @extend_schema(responses=AttendanceSerializer(many=True), summary="Minutes attended per person and session")
    def get(self, request, course_id: int):
        minutes = minutes_by_session(_course(course_id))
        rows = [{"person": pid, "session": sid, "minutes": m} for pid, per in sorted(minutes.items())
                for sid, m in sorted(per.items())]
        self.people_in_answer = len(minutes)
        return Response(AttendanceSerializer(rows, many=True).data)
