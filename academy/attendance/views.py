"""Check-in pages for trainers and staff: thin views over ``academy.attendance.services``.

Permission: only the course's trainers (``Trainer.user``) and staff; anyone else gets 403. Scanning a
personal QR code with a phone camera opens ``checkin/<token>/``; recording happens on the POST of
that page's single button (a GET never changes attendance, so a link cannot check anyone in).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from academy.core.permissions import is_staff
from academy.courses.models import Session
from academy.network.models import Person
from academy.registrations.models import Registration

from . import services
from .models import AttendanceChange, AttendanceInterval

SEARCH_LIMIT = 60


def _session_or_404(session_id: int) -> Session:
    return get_object_or_404(Session.objects.select_related("course"), pk=session_id)


@login_required
def session_checkin(request, session_id: int):
    session = _session_or_404(session_id)
    course = session.course.canonical
    if not services.may_check_in(request.user, course):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "token":
                record = services.check_in_with_token(request.POST.get("code", ""), by=request.user,
                                                      session=session)
                messages.success(request, _("%(person)s checked in.") % {"person": record.person.full_name})
            elif action in ("checkin", "checkout", "correct"):
                person = get_object_or_404(Person, pk=request.POST.get("person_id") or 0)
                if action == "checkin":
                    services.check_in(session, person, by=request.user)
                    messages.success(request, _("%(person)s checked in.") % {"person": person.full_name})
                elif action == "checkout":
                    services.check_out(session, person, by=request.user)
                    messages.success(request, _("%(person)s checked out.") % {"person": person.full_name})
                else:
                    try:
                        minutes = int(request.POST.get("minutes", ""))
                    except ValueError as exc:
                        raise services.AttendanceError(_("Minutes must be a whole number.")) from exc
                    services.correct(session, person, minutes, by=request.user,
                                     reason=request.POST.get("reason", ""))
                    messages.success(request, _("Attendance of %(person)s corrected.")
                                     % {"person": person.full_name})
            else:
                raise Http404
        except services.AttendanceError as exc:
            messages.error(request, exc.message)
        query = request.POST.get("q", "")
        return redirect(f"{request.path}?q={query}" if query else request.path)

    query = request.GET.get("q", "").strip()
    registrations = (Registration.objects.confirmed().filter(course=course)
                     .select_related("person__organisation").order_by("person__last_name", "person__first_name"))
    for word in query.split():
        registrations = registrations.filter(Q(person__first_name__icontains=word)
                                             | Q(person__last_name__icontains=word))
    rows = list(registrations[:SEARCH_LIMIT])
    per_person = services.minutes_by_session(course, [r.person_id for r in rows], sessions=[session])
    inside = set(AttendanceInterval.objects.filter(session=session, left_at__isnull=True,
                                                   person_id__in=[r.person_id for r in rows])
                 .values_list("person_id", flat=True))
    for row in rows:
        row.minutes = per_person.get(row.person_id, {}).get(session.pk, 0)
        row.checked_in = row.person_id in inside
    staff = is_staff(request.user)
    opens, closes = services.checkin_window(session)
    return render(request, "attendance/checkin.html", {
        "session": session, "course": course, "rows": rows, "query": query, "is_staff": staff,
        "phase": "cancelled" if session.cancelled else services.checkin_phase(session),
        "opens": opens, "closes": closes,
        "truncated": len(rows) == SEARCH_LIMIT,
        "changes": (AttendanceChange.objects.filter(session=session).select_related("person", "by")[:50]
                    if staff else []),
    })


@login_required
def checkin_token(request, token: str):
    """Target of the personal QR code: confirm, then check in at the course's session of today."""
    try:
        person_id, registration_id = services.parse_checkin_token(token)
    except services.AttendanceError:
        raise Http404 from None
    registration = (Registration.objects.select_related("person", "course")
                    .filter(pk=registration_id, person_id=person_id).first())
    if registration is None:
        raise Http404
    course = registration.course.canonical
    if not services.may_check_in(request.user, course):
        raise PermissionDenied
    session = services.current_session(course)
    if request.method == "POST":
        try:
            record = services.check_in_with_token(token, by=request.user)
        except services.AttendanceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(person)s checked in.") % {"person": record.person.full_name})
            return redirect("attendance:session_checkin", session_id=record.session_id)
    return render(request, "attendance/checkin_token.html", {
        "registration": registration, "course": course, "session": session,
        "minutes": services.minutes_for(registration.person, session) if session else 0,
    })
