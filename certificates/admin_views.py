"""Staff actions on certificates in the Wagtail admin: the course list, the certificates tab of a
course's operations, bulk issue, re-issue, revoke and the ZIP download. Each view parses the request, calls ``certificates.services`` and
redirects or renders; the lists themselves are the viewsets in ``certificates.viewsets``."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from academy.core.permissions import require_staff
from academy.courses.models import CoursePage
from academy.courses.operations import operations_url

from . import services
from .models import BulkIssueJob, Certificate


def _course(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage, pk=course_id).specific.canonical


def courses_index(request):
    """Courses with their certificate counts and last bulk issue: where the per-course actions start."""
    require_staff(request)
    courses = list(
        CoursePage.objects.filter(locale=Locale.get_default(), first_starts_at__isnull=False)
        .annotate(n_valid=Count("certificates", filter=Q(certificates__status=Certificate.Status.VALID)),
                  n_revoked=Count("certificates", filter=Q(certificates__status=Certificate.Status.REVOKED)))
        .order_by("-first_starts_at")[:200]
    )
    jobs = {}
    for job in BulkIssueJob.objects.filter(course__in=courses).order_by("course_id", "-created_at", "-pk"):
        jobs.setdefault(job.course_id, job)
    for course in courses:
        course.last_job = jobs.get(course.pk)
    return TemplateResponse(request, "certificates/admin/courses.html", {
        "page_title": _("Certificates"), "header_icon": "doc-full", "courses": courses,
        "now": timezone.now()})


def course_detail(request, course_id: int):
    """The former per-course screen: now the certificates tab of the course's operations."""
    require_staff(request)
    return redirect(operations_url(_course(course_id).pk, "certificates"))


def course_tab(request, course: CoursePage) -> dict:
    """The certificates tab of a course's operations: the rule's figures, the last bulk issue, the list."""
    verdicts = services.course_eligibility(course)
    certificates = list(Certificate.objects.filter(course=course).select_related("person")
                        .prefetch_related("events").order_by("person__last_name", "person__first_name"))
    job = BulkIssueJob.objects.filter(course=course).first()
    return {
        "certificates": certificates, "job": job, "refresh": bool(job and job.is_active),
        "registrants": len(verdicts), "eligible": sum(v.eligible for v in verdicts.values()),
        "threshold": services.attendance_threshold(course), "planned": services.planned_minutes(course),
    }


@require_POST
def issue(request, course_id: int):
    require_staff(request)
    course = _course(course_id)
    job = services.start_bulk_issue(course, request.user)
    job.refresh_from_db()
    if job.status == BulkIssueJob.Status.FAILED:
        messages.error(request, _("Issuing certificates failed: %(error)s") % {"error": job.error})
    else:
        messages.success(request, _("Issuing certificates for %(course)s.") % {"course": course.title})
    return redirect(operations_url(course.pk, "certificates"))


def certificate_action(request, pk: int, action: str):
    """Re-issue (POST) or revoke; revoking is a step of its own: the page (GET) shows the certificate and
    asks for the reason, and only its form (POST) revokes."""
    require_staff(request)
    certificate = get_object_or_404(Certificate.objects.select_related("person", "course"), pk=pk)
    if action == "revoke":
        return _revoke(request, certificate)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        if action == "reissue":
            services.reissue(certificate, by=request.user, note=request.POST.get("note", ""))
        else:
            raise PermissionDenied
    except services.CertificateError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(person)s: done.") % {"person": certificate.person.full_name})
    return redirect(operations_url(certificate.course_id, "certificates"))


def _revoke(request, certificate: Certificate):
    back = operations_url(certificate.course_id, "certificates")
    error = ""
    if request.method == "POST":
        try:
            services.revoke(certificate, request.POST.get("reason", ""), by=request.user)
        except services.CertificateError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(person)s: certificate %(code)s revoked.") % {
                "person": certificate.person.full_name, "code": certificate.code})
            return redirect(back)
    title = _("Revoke certificate %(code)s") % {"code": certificate.code}
    return TemplateResponse(request, "certificates/admin/revoke_confirm.html", {
        "page_title": title, "header_title": f"{_('Error')}: {title}" if error else title, "header_icon": "doc-full",
        "certificate": certificate, "course": certificate.course.localized, "error": error, "back": back,
        "reason": request.POST.get("reason", "")}, status=400 if error else 200)


@login_required
def course_zip(request, course_id: int):
    """All valid certificates of a course as a ZIP: staff only."""
    require_staff(request)
    course = _course(course_id)
    spool = tempfile.TemporaryFile()
    services.write_course_zip(course, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"certificates-{course.slug}.zip",
                        content_type="application/zip")
