"""Staff actions of the Teams admin screens: import a session's attendance, resolve an unmatched
attendee. Each parses the POST, calls ``webinars.teams`` and redirects back to the list it came
from; the lists themselves are declarative viewsets (:mod:`webinars.viewsets`)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.core.permissions import require_staff
from academy.courses.models import CoursePage
from academy.network.models import Person

from . import teams
from .graph import GraphError
from .models import TeamsMeeting, UnmatchedAttendance
from .viewsets import import_url


def _back(request, default: str) -> str:
    """Where to go after an action: the screen that posted it (the list, or a course's Teams tab)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def course_tab(request, course: CoursePage) -> dict:
    """The Teams tab of a course's operations: each session's meeting and import, unmatched attendees."""
    meetings = list(TeamsMeeting.objects.filter(session__course=course).select_related("session")
                    .order_by("session__starts_at"))
    for meeting in meetings:
        meeting.import_url = import_url(meeting)
    unmatched = list(UnmatchedAttendance.objects.filter(session__course=course, resolved_at__isnull=True)
                     .select_related("session").order_by("session__starts_at", "pk"))
    return {"meetings": meetings, "unmatched": unmatched, "here": request.get_full_path(),
            "unmatched_list_url": f"{reverse('webinars_teams_unmatched:index')}?session__course={course.pk}"}


@require_POST
def import_session_attendance(request, session_id: int):
    require_staff(request)
    meeting = get_object_or_404(TeamsMeeting, session_id=session_id)
    try:
        result = teams.import_attendance(meeting.session)
    except (GraphError, teams.TeamsError) as exc:
        messages.error(request, _("Attendance import failed: %(error)s") % {"error": exc})
    else:
        messages.success(request, _("Attendance imported: %(matched)d matched, %(unmatched)d unmatched, "
                                    "%(replaced)d previous records replaced.") % {
            "matched": result.matched, "unmatched": result.unmatched, "replaced": result.replaced})
    return redirect(_back(request, reverse("webinars_teams_meetings:index")))


@require_POST
def resolve(request, pk: int):
    require_staff(request)
    unmatched = get_object_or_404(UnmatchedAttendance, pk=pk)
    person_id = request.POST.get("person", "")
    person = Person.objects.filter(pk=int(person_id)).first() if person_id.isdigit() else None
    back = _back(request, reverse("webinars_teams_unmatched:index"))
    if person is None:
        messages.error(request, _("Choose the person."))
        return redirect(back)
    try:
        teams.resolve_unmatched(unmatched, person, request.user)
    except teams.TeamsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(email)s is now recorded for %(person)s.") % {
            "email": unmatched.email or unmatched.display_name, "person": person})
    return redirect(back)
