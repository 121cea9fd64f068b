"""Wagtail admin for staff: Teams meetings per session, an "import attendance" button per session,
and the unmatched attendance entries to resolve. Staff only; state changes are POST with CSRF and
go through ``webinars.teams``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks

from academy.core.permissions import StaffMenuItem, require_staff
from academy.network.models import Person

from . import teams
from .graph import GraphError
from .models import TeamsMeeting, UnmatchedAttendance


def meetings_index(request):
    """Recent and upcoming sessions with a Teams meeting, their import state and unmatched entries."""
    require_staff(request)
    since = timezone.now() - timezone.timedelta(days=60)
    meetings = (TeamsMeeting.objects.filter(session__ends_at__gte=since)
                .select_related("session", "session__course").order_by("session__starts_at"))
    unmatched = (UnmatchedAttendance.objects.filter(resolved_at__isnull=True)
                 .select_related("session", "session__course").order_by("session__starts_at", "email"))
    return TemplateResponse(request, "webinars/admin/teams.html", {
        "page_title": _("Teams meetings"), "header_icon": "link",
        "meetings": meetings, "unmatched": unmatched, "now": timezone.now(),
    })


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
    return redirect(reverse("webinars_teams"))


@require_POST
def resolve(request, pk: int):
    require_staff(request)
    unmatched = get_object_or_404(UnmatchedAttendance, pk=pk)
    person_id = request.POST.get("person", "")
    person = Person.objects.filter(pk=int(person_id)).first() if person_id.isdigit() else None
    if person is None:
        messages.error(request, _("Choose the person."))
        return redirect(reverse("webinars_teams"))
    try:
        teams.resolve_unmatched(unmatched, person, request.user)
    except teams.TeamsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(email)s is now recorded for %(person)s.") % {
            "email": unmatched.email or unmatched.display_name, "person": person})
    return redirect(reverse("webinars_teams"))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("teams/", meetings_index, name="webinars_teams"),
        path("teams/session/<int:session_id>/import-attendance/", import_session_attendance,
             name="webinars_teams_import"),
        path("teams/unmatched/<int:pk>/resolve/", resolve, name="webinars_teams_resolve"),
    ]


@hooks.register("register_admin_menu_item")
def register_teams_menu_item():
    return StaffMenuItem(gettext_lazy("Teams meetings"), reverse("webinars_teams"), icon_name="link", order=260)
