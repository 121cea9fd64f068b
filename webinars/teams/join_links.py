"""Personal join links: the only reader of ``TeamsMeeting.join_url`` outside staff screens, and the
updated invitations that carry the link to people invited before the meeting existed."""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction

from academy.courses.models import Session
from academy.registrations.models import Registration

from ..backends import backend_name
from ..models import TeamsMeeting

logger = logging.getLogger(__name__)


def join_url_for(session: Session, registration: Registration) -> str:
    """The session's join link for this registration: only when confirmed, for a session of the
    registration's course that is online and not cancelled, and only once the meeting exists."""
    if registration.status != Registration.Status.CONFIRMED:
        return ""
    if session.cancelled or not session.is_online or session.course_id != registration.course_id:
        return ""
    # A link made by another backend (a dry-run placeholder after switching to graph) is never sent.
    url = (TeamsMeeting.objects.filter(session_id=session.pk, status=TeamsMeeting.Status.ACTIVE,
                                       backend=backend_name())
           .values_list("join_url", flat=True).first())
    return url or ""



def send_join_link_updates(meetings: TeamsMeeting | list[TeamsMeeting]) -> int:
    """Confirmed registrants invited before these meetings existed get the links now: one updated
    invitation per person covering every session of their course in ``meetings`` (meetings made
    together are announced together), exactly once. Runs in the caller's transaction."""
    from academy.registrations.services import send_invitation

    meetings = [meetings] if isinstance(meetings, TeamsMeeting) else list(meetings)
    sessions_by_course: dict[int, list[Session]] = {}
    keys_by_course: dict[int, list[str]] = {}
    course_of: dict[int, int] = {}
    for session in Session.objects.filter(pk__in=[m.session_id for m in meetings]).order_by("starts_at", "pk"):
        sessions_by_course.setdefault(session.course_id, []).append(session)
        course_of[session.pk] = session.course_id
    for meeting in meetings:
        keys_by_course.setdefault(course_of[meeting.session_id], []).append(
            f"{meeting.external_id}@{meeting.meeting_id}")
    sent = 0
    with transaction.atomic():
        for course_id, sessions in sessions_by_course.items():
            digest = hashlib.sha256("|".join(sorted(keys_by_course[course_id])).encode()).hexdigest()[:24]
            registrations = Registration.objects.confirmed().filter(course_id=course_id).select_related("person")
            for registration in registrations:
                send_invitation(registration, "updated", sessions=sessions, key_suffix=f"teams-{digest}")
                sent += 1
    return sent
