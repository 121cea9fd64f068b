"""Calendar files (RFC 5545) for courses and sessions, built with ``icalendar``.

Public calendars (a course's ``.ics`` download, the programme feed) never carry a Teams join link:
that link is personal and travels only in a registrant's own invitation, which passes it as
``join_urls``. Every VEVENT has a stable UID per session, so updates and cancellations replace the
entry in people's calendars instead of adding a second one.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from academy.core.urls import page_url

from .models import CoursePage, Session

PRODID = "-//Academy//Programme//IT"
ROME = "Europe/Rome"


def session_event(
    session: Session,
    course: CoursePage,
    *,
    join_url: str = "",
    sequence: int | None = None,
    status: str = "CONFIRMED",
    organizer_email: str = "",
    attendee_email: str = "",
    public: bool = False,
) -> icalendar.Event:
    """One VEVENT for a session, shown in the active language. A ``public`` event (course file, feeds)
    has its own UID: imported next to a personal invitation it must not overwrite the entry holding the
    Teams link."""
    tz = timezone.get_default_timezone()
    event = icalendar.Event()
    event.add("uid", f"public-{session.ical_uid()}" if public else session.ical_uid())
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    title = course.title if not session.title else f"{course.title} — {session.title}"
    event.add("summary", title)
    event.add("sequence", session.sequence if sequence is None else sequence)
    event.add("status", status)
    link = page_url(course if course.live else course.canonical)
    event.add("url", link)
    description = [strip_tags(course.abstract).strip()[:800], link]
    if join_url:
        description.insert(0, _("Join on Microsoft Teams (as a guest): %(url)s") % {"url": join_url})
        event.add("location", join_url)
    else:
        location = ", ".join(p for p in (session.venue, session.address) if p)
        if session.is_online:
            note = _("Microsoft Teams — the link is sent by e-mail to registrants")
            location = f"{location} / {note}" if location else note
        event.add("location", location)
    event.add("description", "\n\n".join(p for p in description if p))
    if organizer_email:
        event.add("organizer", f"mailto:{organizer_email}", parameters={"CN": "Academy"})
    if attendee_email:
        event.add("attendee", f"mailto:{attendee_email}",
                  parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
    return event


def build_calendar(events: Iterable[icalendar.Event], *, method: str | None = None,
                   name: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", ROME)
    cal.add_component(rome_vtimezone(timezone.localdate()))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


@functools.lru_cache(maxsize=4)
def rome_vtimezone(today: datetime.date) -> icalendar.Timezone:
    """The Europe/Rome VTIMEZONE (two years back, three ahead). Building it from the tz database is
    the costliest part of a calendar file, so it is built once a day per process; the component is
    only ever serialised, never modified, so calendars can share it."""
    return icalendar.Timezone.from_tzid(ROME, first_date=today - datetime.timedelta(days=730),
                                        last_date=today + datetime.timedelta(days=1100))


def course_calendar(course: CoursePage) -> bytes:
    """The public ``.ics`` of a course: all its sessions, no join link."""
    return build_calendar((session_event(s, course, public=True) for s in course.scheduled_sessions()),
                          method="PUBLISH", name=course.title)


def programme_feed(courses: Iterable[CoursePage], name: str) -> bytes:
    """A subscribable feed of many courses (sessions prefetched by the catalogue)."""
    return build_calendar(
        (session_event(s, c, public=True) for c in courses for s in c.scheduled_sessions()), method="PUBLISH",
        name=name
    )


def personal_invitation(
    sessions: Iterable[Session], course: CoursePage, *, attendee_email: str,
    join_urls: Mapping[int, str] | None = None, cancel: bool = False, sequence_offset: int = 0,
    language: str = "it",
) -> bytes:
    """A registrant's invitation (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL, SEQUENCE+1)."""
    join_urls = join_urls or {}
    with translation.override(language):
        events = [
            session_event(
                s, course, join_url="" if cancel else join_urls.get(s.pk, ""),
                sequence=s.sequence + sequence_offset + (1 if cancel else 0),
                status="CANCELLED" if cancel else "CONFIRMED",
                organizer_email=settings.ACADEMY["CONTACT_EMAIL"], attendee_email=attendee_email,
            )
            for s in sessions
        ]
        return build_calendar(events, method="CANCEL" if cancel else "REQUEST")
