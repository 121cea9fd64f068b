"""An HR officer's people and certificates, within the HR pages' scope (``academy.competences.scope``),
narrowed to one organisation for an organisation token. Every answer is logged."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from certificates.models import Certificate

from ..permissions import IsHR, hr_people
from ..serializers import CertificateSerializer, PersonSerializer
from .base import LANG_PARAMETER, LoggedReadView
from .catalogue import _date

PAGE = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


class PeopleList(LoggedReadView):
    permission_classes = [IsHR]
    pagination_class = LimitOffsetPagination  # the schema then describes the page, not a bare list

    @extend_schema(parameters=[*PAGE, OpenApiParameter("organisation", int)], responses=PersonSerializer(many=True),
                   summary="People in my organisations")
    def get(self, request):
        people = hr_people(request).select_related("organisation").order_by("last_name", "first_name", "pk")
        organisation = request.query_params.get("organisation", "")
        if organisation:
            people = people.filter(organisation_id=int(organisation) if organisation.isdigit() else 0)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(people, request, view=self)
        self.people_in_answer = len(page)
        return paginator.get_paginated_response(PersonSerializer(page, many=True).data)


class PersonDetail(LoggedReadView):
    permission_classes = [IsHR]

    @extend_schema(responses=PersonSerializer, summary="One person in my organisations")
    def get(self, request, person_id: int):
        person = hr_people(request).select_related("organisation").filter(pk=person_id).first()
        if person is None:
            raise NotFound()
        self.people_in_answer = 1
        return Response(PersonSerializer(person).data)


class CertificateList(LoggedReadView):
    permission_classes = [IsHR]
    pagination_class = LimitOffsetPagination  # the schema then describes the page, not a bare list

    @extend_schema(parameters=[LANG_PARAMETER, *PAGE, OpenApiParameter("person", int),
                               OpenApiParameter("issued_from", str), OpenApiParameter("issued_until", str),
                               OpenApiParameter("status", str, enum=list(Certificate.Status.values))],
                   responses=CertificateSerializer(many=True), summary="Certificates of people in my organisations")
    def get(self, request):
        params = request.query_params
        rows = Certificate.objects.filter(person__in=hr_people(request)).select_related("course").order_by(
            "-issued_at", "pk")
        if params.get("person", "").isdigit():
            rows = rows.filter(person_id=int(params["person"]))
        if params.get("status") in Certificate.Status.values:
            rows = rows.filter(status=params["status"])
        since, until = _date(params, "issued_from"), _date(params, "issued_until")
        if since:
            rows = rows.filter(last_date__gte=since)
        if until:
            rows = rows.filter(last_date__lte=until)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        self.people_in_answer = len({c.person_id for c in page})
        return paginator.get_paginated_response(CertificateSerializer(page, many=True).data)
