"""The compliance answer per person and obligation, from the one engine (``engine.load_compliance``),
within the HR pages' scope (``permissions.hr_people``), paginated.

Without a filter on the answer, a page costs a fixed number of queries whatever the scope: the people
of the page are counted and read, then the engine loads those people only. With ``status`` or
``obligation`` the whole scope is evaluated (as the HR dashboard's status filter does: a status is
known only once computed), then the page is cut from the people who match.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from academy.competences.engine import (
    STATUSES,
    Item,
    PersonCompliance,
    item_text,
    load_compliance,
    status_label,
)
from academy.core.urls import absolute_url
from academy.network.models import Person
from academy.obligations.models import Obligation
from academy.obligations.rules import DEFAULT_DUE_DAYS

from ..permissions import IsHR, hr_people
from ..serializers import PersonComplianceSerializer
from .base import LANG_PARAMETER, LoggedReadView

MAX_DUE_DAYS = 730  # as the dashboard's "due within" field


class CompliancePagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500


def _due_days(params) -> int:
    value = params.get("due_days", "")
    if not value:
        return DEFAULT_DUE_DAYS
    if not value.isdigit() or not 1 <= int(value) <= MAX_DUE_DAYS:
        raise ValidationError({"due_days": [f"A whole number of days from 1 to {MAX_DUE_DAYS}."]})
    return int(value)


def _status(params) -> str:
    value = params.get("status", "")
    if value and value not in STATUSES:
        raise ValidationError({"status": [f"One of {', '.join(STATUSES)}."]})
    return value


def _obligation(params) -> Obligation | None:
    """``obligation``: an obligation's id or its code (the catalogue's, the same in every installation)."""
    value = params.get("obligation", "").strip()
    if not value:
        return None
    found = Obligation.objects.filter(**({"pk": int(value)} if value.isdigit() else {"code": value[:50]})).first()
    if found is None:
        raise ValidationError({"obligation": ["No such obligation."]})
    return found


def item_row(item: Item) -> dict:
    obligation = item.obligation
    to_act = item.needs_action
    return {
        "kind": item.kind, "id": item.pk, "code": obligation.code if obligation is not None else "",
        "title": item.title, "status": item.status, "status_label": status_label(item.status),
        "deadline": item.deadline, "last_done": item.last_done, "done": item.done, "missing": item.missing,
        "unit": item.unit, "legal_reference": item.reference, "planned_course": item.planned if to_act else "",
        "to_do": item_text(item) if to_act else "",
        # the HR page that lists the courses satisfying the obligation and registers people on them
        "courses_url": absolute_url(reverse("hr:plan", args=[item.pk])) if to_act and obligation else "",
    }


def person_row(person: Person, compliance: PersonCompliance, items: list[Item]) -> dict:
    return {"person": person.pk, "first_name": person.first_name, "last_name": person.last_name,
            "fiscal_code": person.fiscal_code, "organisation": person.organisation_id,
            "organisation_name": person.organisation.name if person.organisation else None,
            "job_role": person.job_role, "status": compliance.status,
            "status_label": status_label(compliance.status), "items": [item_row(i) for i in items]}


def _people(ids: list[int]) -> list[Person]:
    found = Person.objects.select_related("organisation").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


COMPLIANCE_PARAMETERS = [
    LANG_PARAMETER,
    OpenApiParameter("status", str, enum=list(STATUSES),
                     description="The person's status (the worst of their items) or, with `obligation`, that "
                                 "obligation's status."),
    OpenApiParameter("obligation", str, description="An obligation's id or code: only that item, and only the "
                                                    "people it applies to."),
    OpenApiParameter("organisation", int), OpenApiParameter("due_days", int, description="Due within (default 90)."),
    OpenApiParameter("limit", int, description="At most 500 (default 100)."), OpenApiParameter("offset", int),
]


class ComplianceList(LoggedReadView):
    pagination_class = CompliancePagination  # the schema then describes the page, not a bare list
    permission_classes = [IsHR]

    @extend_schema(parameters=COMPLIANCE_PARAMETERS, responses=PersonComplianceSerializer(many=True),
                   summary="Compliance per person and obligation in my organisations")
    def get(self, request):
        params = request.query_params
        status, obligation, due_days = _status(params), _obligation(params), _due_days(params)
        today = timezone.localdate()
        people = hr_people(request).order_by("last_name", "first_name", "pk")
        organisation = params.get("organisation", "")
        if organisation:
            people = people.filter(organisation_id=int(organisation) if organisation.isdigit() else 0)
        paginator = self.pagination_class()
        if not status and obligation is None:
            page = paginator.paginate_queryset(people.select_related("organisation"), request, view=self)
            answer = load_compliance(Person.objects.filter(pk__in=[p.pk for p in page]).order_by(), today=today,
                                     due_days=due_days)
            rows = [person_row(p, c, c.items) for p in page for c in [answer.for_person(p.pk)]]
        else:
            answer = load_compliance(people, today=today, due_days=due_days)
            matching = []
            for pk, *_rest in answer.rows:
                compliance = answer.for_person(pk)
                items = compliance.items
                if obligation is not None:
                    items = [i for i in items if i.is_obligation and i.pk == obligation.pk]
                    if not items:
                        continue
                if status and (items[0].status if obligation is not None else compliance.status) != status:
                    continue
                matching.append((pk, items))
            page = paginator.paginate_queryset(matching, request, view=self)
            people_by_pk = {p.pk: p for p in _people([pk for pk, _items in page])}
            rows = [person_row(people_by_pk[pk], answer.for_person(pk), items) for pk, items in page
                    if pk in people_by_pk]
        self.people_in_answer = len(rows)
        return paginator.get_paginated_response(PersonComplianceSerializer(rows, many=True).data)


class PersonComplianceDetail(LoggedReadView):
    permission_classes = [IsHR]

    @extend_schema(parameters=[LANG_PARAMETER, OpenApiParameter("due_days", int)],
                   responses=PersonComplianceSerializer, summary="One person's compliance")
    def get(self, request, person_id: int):
        person = hr_people(request).select_related("organisation").filter(pk=person_id).first()
        if person is None:
            raise NotFound()
        answer = load_compliance(Person.objects.filter(pk=person.pk), today=timezone.localdate(),
                                 due_days=_due_days(request.query_params))
        compliance = answer.for_person(person.pk)
        self.people_in_answer = 1
        return Response(PersonComplianceSerializer(person_row(person, compliance, compliance.items)).data)

