"""Site views of funded training: downloads for staff and the plan's responsible person, and the
inspector's pages. Thin: the rules are in ``services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from academy.courses.models import Session

from .models import FundedPlan
from .services import documents, inspectors
from .services.completeness import plan_gaps
from .services.registers import live_register, plan_sessions, plan_summary, session_register

CONTENT_TYPES = {"pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _file(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _plan_for(request, plan_id: int) -> FundedPlan:
    plan = get_object_or_404(FundedPlan.objects.select_related("proposer"), pk=plan_id)
    if not inspectors.may_download(request.user, plan):
        raise PermissionDenied
    return plan


@login_required
def plan_page(request, plan_id: int):
    plan = _plan_for(request, plan_id)
    return render(request, "funding/plan.html", {"plan": plan, "sessions": plan_sessions(plan),
                                                 "gaps": plan_gaps(plan_summary(plan, viewer=request.user))})


@login_required
def session_register_file(request, plan_id: int, session_id: int, fmt: str):
    plan = _plan_for(request, plan_id)
    if fmt not in documents.FORMATS:
        raise Http404
    session = next((s for s in plan_sessions(plan) if s.pk == session_id), None)
    if session is None:
        raise Http404
    register = session_register(session, plan, viewer=request.user)
    render_file = documents.register_pdf if fmt == "pdf" else documents.register_xlsx
    name = f"registro-{slugify(plan.plan_code)}-{session.starts_at:%Y%m%d}-{session.pk}"
    return _file(render_file(register), fmt, name)


@login_required
def plan_summary_file(request, plan_id: int, fmt: str):
    plan = _plan_for(request, plan_id)
    if fmt not in documents.FORMATS:
        raise Http404
    summary = plan_summary(plan, viewer=request.user)
    render_file = documents.summary_pdf if fmt == "pdf" else documents.summary_xlsx
    return _file(render_file(summary), fmt, f"riepilogo-{slugify(plan.plan_code)}")


@login_required
def declaration_file(request, plan_id: int):
    plan = _plan_for(request, plan_id)
    return _file(documents.declaration_pdf(plan, plan_summary(plan, viewer=request.user)), "pdf",
                 f"dichiarazione-{slugify(plan.plan_code)}")


def _inspector(request) -> inspectors.InspectorAccess:
    access = inspectors.active_access(request.user)
    if access is None:
        raise PermissionDenied
    return access


@login_required
def inspector_home(request):
    access = _inspector(request)
    inspectors.log_access(access, request.get_full_path())
    sessions = plan_sessions(access.plan)
    for session in sessions:
        session.join_url = inspectors.join_url(session)
    return render(request, "funding/inspector_home.html", {"access": access, "plan": access.plan,
                                                           "sessions": sessions})


@login_required
def inspector_session(request, session_id: int):
    access = _inspector(request)
    session = inspectors.plan_session(access, session_id)
    if session is None:
        raise Http404
    inspectors.log_access(access, request.get_full_path(), session=session)
    register = live_register(Session.objects.get(pk=session.pk), access.plan, viewer=request.user)
    return render(request, "funding/inspector_session.html", {
        "access": access, "plan": access.plan, "register": register, "join_url": inspectors.join_url(session)})


@login_required
@require_safe
def inspector_register(request, session_id: int):
    """The register of a session of the inspector's plan as a PDF: read-only, and logged like a page."""
    access = _inspector(request)
    session = inspectors.plan_session(access, session_id)
    if session is None:
        raise Http404
    inspectors.log_access(access, request.get_full_path(), session=session)
    register = session_register(session, access.plan, viewer=request.user)
    name = f"registro-{slugify(access.plan.plan_code)}-{session.starts_at:%Y%m%d}-{session.pk}"
    return _file(documents.register_pdf(register), "pdf", name)
