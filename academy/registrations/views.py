"""Member-facing registration views: thin, every rule is in ``services``.

My Academy (upcoming and past registrations, waiting-list position, cancel, calendar files, my data,
erasure), the register/cancel actions behind the course page's box, and the registrant list that only
staff and the course's trainers may see (trainers without e-mail addresses).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from academy.core.permissions import is_staff
from academy.courses.calendar import personal_invitation
from academy.courses.models import CoursePage
from academy.courses.permissions import is_trainer_of
from academy.network.models import Person
from academy.network.privacy import anonymise_person, export_person_data
from academy.network.services import eligibility, person_of

from . import services
from .invitations import join_urls_for, personal_sequence_offset
from .models import Registration


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request, course: CoursePage | None = None):
    target = request.POST.get("next") or ""
    # Only same-site paths: a bare startswith("/") check let "/\\evil.example" through (browsers
    # read the backslash as a slash, making it a protocol-relative URL to another host).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    if course is not None:
        # The canonical (Italian) page owns the registration; the member goes back to the page in the
        # language they were reading.
        return redirect(course.localized.get_url(request) or "my_academy")
    return redirect("my_academy")


@login_required
def my_academy(request):
    person = person_of(request.user)
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(person=person).select_related("course").order_by("course__first_starts_at")
        if person else []
    )
    for registration in registrations:
        registration.position = services.waiting_position(registration)
        # Titles and links in the page's language; the canonical page owns the registration.
        registration.shown_course = registration.course.localized
        registration.needs_checkin = any(session.mode != session.Mode.ONLINE
                                         for session in registration.course.scheduled_sessions())
    upcoming = [r for r in registrations if r.status != Registration.Status.CANCELLED
                and not r.course.is_over(now)]
    # A course cancelled and registered again is listed once, with the registration that holds.
    held = {r.course_id for r in registrations if r.status != Registration.Status.CANCELLED}
    past = [r for r in registrations if r not in upcoming
            and not (r.status == Registration.Status.CANCELLED and r.course_id in held)]
    past.sort(key=lambda r: r.course.first_starts_at or now, reverse=True)
    return render(request, "registrations/my_academy.html", {
        "person": person, "upcoming": upcoming, "past": past,
        "eligibility": eligibility(person) if person else None, "registrations": registrations,
    })


@login_required
@require_POST
def register(request, course_id: int):
    try:
        course = services.registrable_course(course_id)
    except CoursePage.DoesNotExist as exc:
        raise Http404 from exc
    person = person_of(request.user)  # loaded with the user (academy.network.auth)
    person_id = request.POST.get("person")
    if person_id:  # an HR officer or staff registering someone else: the service checks who may
        person = get_object_or_404(Person, pk=person_id)
    consent = request.POST.get("consent", "")
    current_notice = settings.ACADEMY["PRIVACY_NOTICE_VERSION"]
    if not consent and not person_id and services.consent_on_record(person, current_notice):
        consent = current_notice  # accepted with an earlier registration: not asked again
    if not consent:
        message = _("Please confirm that you have read the privacy notice.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return _back(request, course)
    try:
        registration = services.register(person, course, by=request.user, consent_version=consent[:20])
    except services.RegistrationError as exc:
        if _wants_json(request):
            status = 429 if isinstance(exc, services.Busy) else 409 if isinstance(
                exc, services.AlreadyRegistered) else 403
            return JsonResponse({"error": exc.message, "code": type(exc).__name__}, status=status)
        messages.error(request, exc.message)
        return _back(request, course)
    if _wants_json(request):
        return JsonResponse({"id": registration.pk, "status": registration.status}, status=201)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered: we have sent you an e-mail with the calendar "
                                    "invitation."))
    elif registration.status == Registration.Status.WAITING:
        messages.info(request, _("The course is full: you are on the waiting list, position %(pos)s.")
                      % {"pos": services.waiting_position(registration)})
    else:
        messages.info(request, _("Registration received: the staff will review it."))
    return _back(request, course)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, registration_id: int):
    """GET asks for confirmation (cancelling gives the seat away); POST cancels."""
    registration = get_object_or_404(Registration.objects.select_related("person", "course"), pk=registration_id)
    if not services.may_cancel(request.user, registration):
        raise Http404
    if request.method == "GET":
        back = request.GET.get("next", "")
        if not (back.startswith("/") and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure())):
            back = ""
        return render(request, "registrations/cancel_confirm.html", {
            "registration": registration, "course": registration.course.localized, "next": back})
    try:
        services.cancel(registration, by=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return _back(request)


@login_required
def calendar(request, registration_id: int):
    """The personal calendar file of a confirmed registration (with the join link, if any)."""
    registration = get_object_or_404(Registration.objects.select_related("person", "course"), pk=registration_id)
    if registration.person.user_id != request.user.pk or registration.status != Registration.Status.CONFIRMED:
        raise Http404
    course = registration.course.specific.canonical
    sessions = course.scheduled_sessions()
    ics = personal_invitation(sessions, course, attendee_email=registration.person.email,
                              join_urls=join_urls_for(registration, sessions),
                              sequence_offset=personal_sequence_offset(registration),
                              language=registration.person.preferred_language)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="academy-{course.slug}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data(request):
    person = person_of(request.user)
    if person is None:
        raise Http404
    response = HttpResponse(json.dumps(export_person_data(person), indent=2, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="academy-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def erase(request):
    person = person_of(request.user)
    if person is None:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        anonymise_person(person, by=request.user)
        logout(request)
        messages.success(request, _("Your personal data have been erased."))
        return redirect("/")
    return render(request, "registrations/erase.html", {"person": person})


def can_see_registrants(user, course: CoursePage) -> tuple[bool, bool]:
    """(may see the list, may see e-mail addresses): staff see all; the course's trainers names and
    organisations only; everyone else nothing."""
    if is_staff(user):
        return True, True
    return is_trainer_of(user, course), False


@login_required
def registrants(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id).specific.canonical
    allowed, with_emails = can_see_registrants(request.user, course)
    if not allowed:
        raise PermissionDenied
    rows = (Registration.objects.active().filter(course_id=course.pk)
            .select_related("person__organisation").order_by("status", "created_at", "pk"))
    return render(request, "registrations/registrants.html", {
        "course": course, "rows": rows, "with_emails": with_emails, "counts": services.counts(course)})
