"""Personal join links: the only reader of ``TeamsMeeting.join_url`` outside staff screens, and the
updated invitations that carry the link to people invited before the meeting existed."""

from __future__ import annotations

import logging

from django.db import transaction

from academy.courses.models import Session
from academy.registrations.models import Registration

from ..models import TeamsMeeting

logger = logging.getLogger(__name__)


def join_url_for(session: Session, registration: Registration) -> str:
    """The session's join link for this registration: only when confirmed, for a session of the
    registration's course that is online and not cancelled, and only once the meeting exists."""
    if registration.status != Registration.Status.CONFIRMED:
        return ""
    if session.cancelled or not session.is_online or session.course_id != registration.course_id:
        return ""
    url = (TeamsMeeting.objects.filter(session_id=session.pk, status=TeamsMeeting.Status.ACTIVE)
           .values_list("join_url", flat=True).first())
    return url or ""



def send_join_link_updates(meeting: TeamsMeeting) -> int:
    """Confirmed registrants invited before the meeting existed get the link now (exactly once)."""
    from academy.registrations.invitations import send_invitation

    session = Session.objects.select_related("course").get(pk=meeting.session_id)
    registrations = Registration.objects.filter(course_id=session.course_id,
                                                status=Registration.Status.CONFIRMED).select_related("person")
    sent = 0
    with transaction.atomic():
        for registration in registrations:
            send_invitation(registration, "updated", sessions=[session],
                            key_suffix=f"{session.pk}-{session.sequence}-teams-{meeting.external_id}")
            sent += 1
    return sent

