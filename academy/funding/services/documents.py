"""The registers, the plan summary and the DPR 445/2000 declaration as files: PDF through WeasyPrint
(printable, A4, with signature columns for in-person sessions) and XLSX through ``academy.core.tabular``
(every cell through ``safe_cell``).

The PDFs are kept ten years in the course file (``ACADEMY_COURSE_FILE_YEARS``; Agreement 59/CSR of
17/04/2025, Part I, point 7), so they are written as PDF/A-3a like the certificates: self-contained
(fonts, colour profile) and tagged. Registers and summaries print their gaps (``completeness``)."""

from __future__ import annotations

import tablib
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.attendance.services import minutes_from_intervals
from academy.core.tabular import export_xlsx
from academy.core.urls import absolute_url

from ..models import FundedPlan
from .completeness import plan_gaps, register_gaps
from .registers import PlanSummary, SessionRegister, hours

FORMATS = ("pdf", "xlsx")


PDF_VARIANT = "pdf/a-3a"


def _pdf(template: str, context: dict) -> bytes:
    import weasyprint

    html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=absolute_url("/")).write_pdf(pdf_variant=PDF_VARIANT)


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M:%S") if value else ""


def register_pdf(register: SessionRegister) -> bytes:
    gaps = register_gaps(register)
    rows = [(row, gaps.not_identified.get(row.learner.person_id, "")) for row in register.rows]
    return _pdf("funding/register.html", {"register": register, "plan": register.plan, "gaps": gaps, "rows": rows})


def register_xlsx(register: SessionRegister) -> bytes:
    """Two sheets: one row per login/logout interval, and one row per learner with their minutes."""
    session = register.session
    start = timezone.localtime(session.starts_at)
    intervals = tablib.Dataset(title=_("Login and logout"), headers=[
        _("Plan code"), _("Project code"), _("Course"), _("Date"), _("Learner"), _("Codice fiscale"),
        _("Organisation"), _("Login"), _("Logout"), _("Minutes")])
    plan = register.plan
    codes = (plan.plan_code if plan else "", plan.project_code if plan else "")
    for row in register.rows:
        for joined, left in row.spans:
            intervals.append([*codes, register.course.title, start.date(), row.learner.full_name,
                              row.learner.fiscal_code, row.learner.organisation, _time(joined), _time(left),
                              # Login/logout as recorded; the minutes only inside the session (THE rule).
                              minutes_from_intervals([(joined, left)], session.starts_at, session.ends_at)
                              if left else None])
    learners = tablib.Dataset(title=_("Learners"), headers=[
        _("Learner"), _("Codice fiscale"), _("Organisation"), _("First login"), _("Last logout"),
        _("Minutes attended"), _("Minutes planned")])
    for row in register.rows:
        learners.append([row.learner.full_name, row.learner.fiscal_code, row.learner.organisation,
                         _time(row.first_login), _time(row.last_logout), row.minutes, session.planned_minutes])
    return export_xlsx(tablib.Databook([intervals, learners]))


def summary_pdf(summary: PlanSummary) -> bytes:
    return _pdf("funding/summary.html", {"summary": summary, "plan": summary.plan, "gaps": plan_gaps(summary)})


def summary_xlsx(summary: PlanSummary) -> bytes:
    data = tablib.Dataset(title=_("Plan summary"), headers=[
        _("Learner"), _("Codice fiscale"), _("Organisation"), _("Hours planned"), _("Hours attended"),
        _("Attendance (%)"), _("Reaches the minimum")])
    for row in summary.rows:
        data.append([row.learner.full_name, row.learner.fiscal_code, row.learner.organisation, row.planned_hours,
                     row.attended_hours, row.percent, _("yes") if row.reaches_minimum else _("no")])
    return export_xlsx(data)


def declaration_pdf(plan: FundedPlan, summary: PlanSummary) -> bytes:
    """The responsible person's self-declaration (DPR 445/2000, artt. 46-47), pre-filled, to sign."""
    with translation.override("it"):
        return _pdf("funding/declaration.html", {
            "plan": plan, "summary": summary, "total_hours": hours(sum(s.planned_minutes for s in summary.sessions)),
            "today": timezone.localdate()})
