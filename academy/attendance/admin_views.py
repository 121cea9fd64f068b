"""The attendance tab of a course's operations (:mod:`academy.courses.operations`): each confirmed
registrant's minutes per session, the check-in page of each session (where staff record and correct)
and the latest corrections."""

from __future__ import annotations

from academy.courses.models import CoursePage
from academy.registrations.models import Registration

from . import services
from .models import AttendanceChange


def course_tab(request, course: CoursePage) -> dict:
    sessions = services.counted_sessions(course)
    registrations = list(Registration.objects.confirmed().filter(course=course)
                         .select_related("person").order_by("person__last_name", "person__first_name"))
    minutes = services.minutes_by_session(course, [r.person_id for r in registrations], sessions=sessions)
    rows = [(r.person, [minutes.get(r.person_id, {}).get(s.pk, 0) for s in sessions],
             sum(minutes.get(r.person_id, {}).values())) for r in registrations]
    return {
        "sessions": sessions, "rows": rows, "planned": course.planned_minutes,
        "changes": AttendanceChange.objects.filter(session__in=sessions).select_related("person", "by")[:20],
    }
