"""Wagtail admin for staff: registrations per course with counts, approve / promote / cancel, and
CSV/XLSX export. Every action goes through ``academy.registrations.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.formats.base_formats import CSV, XLSX
from wagtail import hooks
from wagtail.models import Locale

from academy.core.permissions import StaffMenuItem, require_staff
from academy.courses.models import CoursePage

from . import services
from .models import Registration
from .resources import RegistrationResource


def courses_index(request):
    require_staff(request)
    S = Registration.Status
    courses = (CoursePage.objects.filter(locale=Locale.get_default())
               .annotate(n_confirmed=Count("registrations", filter=Q(registrations__status=S.CONFIRMED)),
                         n_waiting=Count("registrations", filter=Q(registrations__status=S.WAITING)),
                         n_pending=Count("registrations", filter=Q(registrations__status=S.PENDING)),
                         n_cancelled=Count("registrations", filter=Q(registrations__status=S.CANCELLED)))
               .order_by("-first_starts_at"))
    return TemplateResponse(request, "registrations/admin/courses.html", {
        "page_title": _("Registrations"), "header_icon": "group", "courses": courses})


def course_registrations(request, course_id: int):
    require_staff(request)
    course = get_object_or_404(CoursePage, pk=course_id).specific.canonical
    rows = Registration.objects.filter(course_id=course.pk).select_related("person__organisation")
    status = request.GET.get("status", "")
    if status in Registration.Status.values:
        rows = rows.filter(status=status)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        dataset = RegistrationResource().export(rows.order_by("status", "created_at"))
        fmt = CSV() if export == "csv" else XLSX()
        response = HttpResponse(fmt.export_data(dataset), content_type=fmt.get_content_type())
        response["Content-Disposition"] = f'attachment; filename="registrations-{course.slug}.{export}"'
        return response
    rows = list(rows.order_by("status", "created_at", "pk"))
    for row in rows:
        row.position = services.waiting_position(row)
    return TemplateResponse(request, "registrations/admin/course.html", {
        "page_title": _("Registrations"), "page_subtitle": course.title, "header_icon": "group",
        "course": course, "rows": rows, "counts": services.counts(course), "status": status,
        "statuses": Registration.Status.choices})


@require_POST
def registration_action(request, pk: int, action: str):
    require_staff(request)
    registration = get_object_or_404(Registration.objects.select_related("person"), pk=pk)
    try:
        if action == "promote":
            services.promote(registration, by=request.user, force=request.POST.get("force") == "1")
        elif action == "approve":
            services.approve(registration, by=request.user)
        elif action == "cancel":
            services.cancel(registration, by=request.user, note=request.POST.get("note", ""))
        else:
            raise PermissionDenied
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(person)s: done.") % {"person": registration.person.full_name})
    return redirect(reverse("academy_course_registrations", args=[registration.course_id]))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/registrations/", courses_index, name="academy_registrations"),
        path("academy/registrations/<int:course_id>/", course_registrations, name="academy_course_registrations"),
        path("academy/registrations/r/<int:pk>/<str:action>/", registration_action,
             name="academy_registration_action"),
    ]


@hooks.register("register_admin_menu_item")
def register_registrations_menu_item():
    return StaffMenuItem(gettext_lazy("Registrations"), reverse("academy_registrations"), icon_name="group",
                         order=240)
