"""Funded plans' registers as data, with the pages' permissions (``academy.funding.services``): staff and
the plan's responsible person (``inspectors.may_download``) read the plan, its sessions, learners and
completeness; the plan's inspector, while their access is valid, reads its sessions and their
registers, each read also entered in the inspector's access log as the inspector pages do. Which
learners anyone sees is ``plan_learners`` (inside the register services). Personal tokens only: an
organisation token acts for an HR system, not for a person named on a plan."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from academy.core.permissions import is_staff
from academy.funding.models import FundedPlan, InspectorAccess
from academy.funding.services import inspectors
from academy.funding.services.completeness import plan_gaps, register_gaps
from academy.funding.services.registers import plan_sessions, plan_summary, session_register

from ..permissions import TokenScope
from ..serializers import FundedPlanSerializer, PlanRegisterSerializer, SessionRegisterSerializer
from .base import LoggedReadView


class PlanReader(TokenScope):
    """A personal token of staff, of a plan's responsible person or of a valid inspector."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view) or request.auth.organisation_id is not None:
            return False
        user = request.user
        return (is_staff(user) or FundedPlan.objects.filter(responsible_user=user).exists()
                or inspectors.active_access(user) is not None)


def _plan(request, plan_id: int) -> tuple[FundedPlan, InspectorAccess | None]:
    """The plan and, for its inspector, their access; 403 for anyone else (as the plan page)."""
    plan = FundedPlan.objects.select_related("proposer").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    if inspectors.may_download(request.user, plan):
        return plan, None
    access = inspectors.active_access(request.user)
    if access is not None and access.plan_id == plan.pk:
        return plan, access
    raise PermissionDenied()


def plan_row(plan: FundedPlan) -> dict:
    return {"id": plan.pk, "plan_code": plan.plan_code, "project_code": plan.project_code, "title": plan.title,
            "fund": plan.fund, "call_code": plan.call_code, "proposer": plan.proposer_id,
            "proposer_name": plan.proposer.name if plan.proposer else None,
            "minimum_attendance": plan.minimum_attendance, "starts_on": plan.starts_on, "ends_on": plan.ends_on}


def _learner(learner) -> dict:
    return {"person": learner.person_id, "full_name": learner.full_name, "fiscal_code": learner.fiscal_code,
            "organisation": learner.organisation}


def _session(session) -> dict:
    return {"id": session.pk, "course": session.course_id, "course_title": session.course.title,
            "title": session.title, "starts_at": session.starts_at, "ends_at": session.ends_at,
            "mode": session.mode, "planned_minutes": session.planned_minutes}


def _gaps(gaps) -> dict:
    return {"complete": gaps.complete, "tutor_missing": gaps.tutor_missing,
            "not_identified": [{"person": pid, "reason": why} for pid, why in sorted(gaps.not_identified.items())]}


class PlanList(LoggedReadView):
    pagination_class = LimitOffsetPagination  # the schema then describes the page, not a bare list
    permission_classes = [PlanReader]

    @extend_schema(parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=FundedPlanSerializer(many=True), summary="Funded plans I may read")
    def get(self, request):
        plans = FundedPlan.objects.select_related("proposer").order_by("-starts_on", "pk")
        if not is_staff(request.user):
            access = inspectors.active_access(request.user)
            plans = plans.filter(Q(responsible_user=request.user) | Q(pk=access.plan_id if access else None))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(plans, request, view=self)
        return paginator.get_paginated_response(FundedPlanSerializer([plan_row(p) for p in page], many=True).data)


class PlanRegister(LoggedReadView):
    permission_classes = [PlanReader]

    @extend_schema(responses=PlanRegisterSerializer,
                   summary="A plan's sessions, learners (hours against the minimum) and the registers' completeness")
    def get(self, request, plan_id: int):
        plan, access = _plan(request, plan_id)
        if access is not None:
            inspectors.log_access(access, request.get_full_path())
        summary = plan_summary(plan, viewer=request.user)
        gaps = plan_gaps(summary)
        missing = {learner.person_id for learner in gaps.missing_fiscal_code}
        learners = None
        if access is None:  # the plan summary is staff's and the responsible person's, as on the pages
            learners = [{**_learner(r.learner), "fiscal_code_missing": r.learner.person_id in missing,
                         "planned_minutes": r.planned_minutes, "attended_minutes": r.attended_minutes,
                         "percent": r.percent, "reaches_minimum": r.reaches_minimum} for r in summary.rows]
            self.people_in_answer = len(learners)
        return Response(PlanRegisterSerializer({
            **plan_row(plan), "complete": gaps.complete,
            "learners_without_fiscal_code": sorted(missing) if access is None else [],
            "sessions": [{**_session(g.session), **_gaps(g)} for g in gaps.sessions], "learners": learners,
            "generated_at": summary.generated_at}).data)


class SessionRegisterView(LoggedReadView):
    permission_classes = [PlanReader]

    @extend_schema(responses=SessionRegisterSerializer,
                   summary="One session's register: each learner's login and logout times and minutes")
    def get(self, request, plan_id: int, session_id: int):
        plan, access = _plan(request, plan_id)
        session = next((s for s in plan_sessions(plan) if s.pk == session_id), None)
        if session is None:
            raise NotFound()
        if access is not None:
            inspectors.log_access(access, request.get_full_path(), session=session)
        register = session_register(session, plan, viewer=request.user)
        gaps = register_gaps(register)
        self.people_in_answer = len(register.rows)
        return Response(SessionRegisterSerializer({
            "plan": plan.pk, "plan_code": plan.plan_code, **_session(register.session), **_gaps(gaps),
            "trainers": register.trainers,
            "learners_without_fiscal_code": sorted(learner.person_id for learner in gaps.missing_fiscal_code),
            "rows": [{**_learner(r.learner), "minutes": r.minutes, "first_login": r.first_login,
                      "last_logout": r.last_logout,
                      "spans": [{"login": joined, "logout": left} for joined, left in r.spans]}
                     for r in register.rows],
            "generated_at": register.generated_at}).data)
