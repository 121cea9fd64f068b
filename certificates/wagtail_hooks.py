"""Wagtail admin for staff: per course, issue certificates in bulk (background task with progress),
download them all as a ZIP, re-issue after a correction, revoke. Every action calls
``certificates.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.models import Locale

from academy.core.permissions import StaffMenuItem, require_staff
from academy.courses.models import CoursePage

from . import services
from .models import BulkIssueJob, Certificate


def courses_index(request):
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
    require_staff(request)
    course = get_object_or_404(CoursePage, pk=course_id).specific.canonical
    verdicts = services.course_eligibility(course)
    certificates = list(Certificate.objects.filter(course=course).select_related("person")
                        .prefetch_related("events").order_by("person__last_name", "person__first_name"))
    job = BulkIssueJob.objects.filter(course=course).first()
    return TemplateResponse(request, "certificates/admin/course.html", {
        "page_title": _("Certificates"), "page_subtitle": course.title, "header_icon": "doc-full",
        "course": course, "certificates": certificates, "job": job,
        "registrants": len(verdicts), "eligible": sum(v.eligible for v in verdicts.values()),
        "planned": next(iter(verdicts.values())).planned if verdicts else course.planned_minutes,
        "sessions": course.scheduled_sessions(),
    })


@require_POST
def issue(request, course_id: int):
    require_staff(request)
    course = get_object_or_404(CoursePage, pk=course_id).specific.canonical
    job = services.start_bulk_issue(course, request.user)
    job.refresh_from_db()
    if job.status == BulkIssueJob.Status.FAILED:
        messages.error(request, _("Issuing certificates failed: %(error)s") % {"error": job.error})
    else:
        messages.success(request, _("Issuing certificates for %(course)s.") % {"course": course.title})
    return redirect("certificates_admin_course", course_id=course.pk)


@require_POST
def certificate_action(request, pk: int, action: str):
    require_staff(request)
    certificate = get_object_or_404(Certificate.objects.select_related("person"), pk=pk)
    try:
        if action == "revoke":
            services.revoke(certificate, request.POST.get("reason", ""), by=request.user)
        elif action == "reissue":
            services.reissue(certificate, by=request.user, note=request.POST.get("note", ""))
        else:
            raise PermissionDenied
    except services.CertificateError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(person)s: done.") % {"person": certificate.person.full_name})
    return redirect("certificates_admin_course", course_id=certificate.course_id)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/certificates/", courses_index, name="certificates_admin"),
        path("academy/certificates/<int:course_id>/", course_detail, name="certificates_admin_course"),
        path("academy/certificates/<int:course_id>/issue/", issue, name="certificates_admin_issue"),
        path("academy/certificates/c/<int:pk>/<str:action>/", certificate_action,
             name="certificates_admin_action"),
    ]


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return StaffMenuItem(gettext_lazy("Certificates"), reverse("certificates_admin"), icon_name="doc-full",
                         order=250)
