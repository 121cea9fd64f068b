"""Training done elsewhere (``competences.ExternalTraining``) of people in the HR scope: read, and create
through the HR import's own rules (``resources.import_external_rows``): every row is checked, and
nothing is saved unless every row is good."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from academy.competences.import_jobs import inline_max_rows
from academy.competences.models import ExternalTraining
from academy.competences.resources import import_external_rows

from ..permissions import IsHR, hr_organisations, hr_people
from ..problems import problem
from ..serializers import (
    ExternalTrainingImportSerializer,
    ExternalTrainingRowSerializer,
    ExternalTrainingSerializer,
)
from .base import LANG_PARAMETER, LoggedReadView
from .catalogue import _date

COLUMNS = tuple(ExternalTrainingRowSerializer().fields)


def _import_row(row: dict) -> dict:
    """A JSON row as the import reads a file's row (competences as one ``;``-separated cell)."""
    cells = {column: row.get(column, "") for column in COLUMNS}
    cells["competences"] = "; ".join(row.get("competences") or [])
    return cells


class ExternalTrainingList(LoggedReadView):
    pagination_class = LimitOffsetPagination  # the schema then describes the page, not a bare list
    permission_classes = [IsHR]

    @extend_schema(parameters=[LANG_PARAMETER, OpenApiParameter("person", int),
                               OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
                               OpenApiParameter("date_until", str, description="YYYY-MM-DD"),
                               OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=ExternalTrainingSerializer(many=True),
                   summary="Training done elsewhere by people in my organisations")
    def get(self, request):
        params = request.query_params
        rows = (ExternalTraining.objects.filter(person__in=hr_people(request)).select_related("obligation")
                .prefetch_related("competences").order_by("-date", "pk"))
        if params.get("person", "").isdigit():
            rows = rows.filter(person_id=int(params["person"]))
        since, until = _date(params, "date_from"), _date(params, "date_until")
        if since:
            rows = rows.filter(date__gte=since)
        if until:
            rows = rows.filter(date__lte=until)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        self.people_in_answer = len({t.person_id for t in page})
        return paginator.get_paginated_response(ExternalTrainingSerializer(page, many=True).data)

    @extend_schema(request=ExternalTrainingImportSerializer, responses={201: ExternalTrainingSerializer(many=True)},
                   summary="Add training done elsewhere (the HR import's rules; all rows or none)")
    def post(self, request):
        data = ExternalTrainingImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = data.validated_data["rows"]
        if len(rows) > inline_max_rows():
            return problem(400, _("At most %(count)s rows per call: split them into several calls.")
                           % {"count": inline_max_rows()})
        report, created = import_external_rows([_import_row(r) for r in rows], COLUMNS, hr_organisations(request),
                                               request.user, first_line=0)
        if not report.ok:
            count = len(report.errors)
            return problem(400, ngettext("Nothing was saved: %(count)s row is not valid.",
                                         "Nothing was saved: %(count)s rows are not valid.", count) % {"count": count},
                           errors={f"rows[{index}]": [reason] for index, reason in report.errors},
                           type_="urn:academy:import:invalid-rows")
        self.people_in_answer = len({t.person_id for t in created})
        saved = ExternalTraining.objects.filter(pk__in=[t.pk for t in created]).select_related(
            "obligation").prefetch_related("competences").order_by("pk")
        return Response(ExternalTrainingSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)
