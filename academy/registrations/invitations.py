"""Personal e-mails about a registration, each queued once in the outbox, in the person's language.

``send_invitation(registration, kind)`` is the one place that queues them and ``render_invitation``
the one place that builds calendar invitations (in the worker that delivers the message). Join links
are personal: they are the answers to the ``join_url_wanted`` signal (the Teams integration receives
it) and travel only in these personal e-mails, never in public pages or feeds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.core.outbox import Attachment, RenderedEmail, email_rendering, queue_email_later
from academy.core.urls import absolute_url, page_url
from academy.courses.calendar import personal_invitation
from academy.courses.models import CoursePage, Session, canonical_course

from .models import Registration
from .signals import join_url_wanted

logger = logging.getLogger(__name__)

TEMPLATES = {"withdrawn": "cancelled"}  # kinds that share a template
OUTBOX_KIND = "registration"  # how the outbox names these messages (``email_rendering``)

def _subject(kind: str, course: CoursePage) -> str:
    # Real gettext calls (not a variable msgid) so makemessages sees every subject.
    subjects = {
        "confirmed": _("Registration confirmed: %(course)s"),
        "promoted": _("A seat is free: you are now registered for %(course)s"),
        "updated": _("Updated schedule: %(course)s"),
        "cancelled": _("Registration cancelled: %(course)s"),
        "withdrawn": _("Registration cancelled: %(course)s"),
        "session_cancelled": _("Session cancelled: %(course)s"),
        "waiting": _("You are on the waiting list: %(course)s"),
        "pending": _("Registration received, awaiting approval: %(course)s"),
        "reminder_24h": _("Tomorrow: %(course)s"),
        "reminder_1h": _("Starting soon: %(course)s"),
    }
    return subjects[kind] % {"course": course.title}


def join_urls_for(registration: Registration, sessions: Iterable[Session]) -> dict[int, str]:
    """Personal join links per session id: the first non-empty answer to ``join_url_wanted``. A failing
    receiver must not block the e-mail (the link follows later): it is logged and skipped."""
    urls: dict[int, str] = {}
    for session in sessions:
        if not session.is_online:
            continue
        for answering, answer in join_url_wanted.send_robust(sender=Session, session=session,
                                                             registration=registration):
            if isinstance(answer, Exception):
                logger.error("join URL receiver %r failed for session %s", answering, session.pk, exc_info=answer)
            elif answer:
                urls[session.pk] = answer
                break
    return urls


def send_invitation(registration: Registration, kind: str, *, sessions: list[Session] | None = None,
                    key_suffix: str = "", schedule_sequence: int | None = None) -> None:
    """Queue one personal e-mail about ``registration``, written by the worker that delivers it.

    ``kind``: confirmed, promoted, updated (a session moved), cancelled, session_cancelled (with a
    calendar file) or waiting, pending, withdrawn (a waiting/pending registration cancelled),
    reminder_24h, reminder_1h (without). ``sessions``: the sessions the message is about (default: the
    course's current ones). The outbox key makes each message exactly-once:
    ``registration:{id}:{kind}:{seq}`` where ``seq`` is the calendar SEQUENCE (or ``key_suffix``), so a
    later change yields a new message while a retry does not; callers that know the schedule's
    sequence already (``register`` reads it with the seat count) pass ``schedule_sequence``.

    Only the key, the address and this context are written here, in the caller's transaction: the
    text, the calendar file and the personal Teams links are produced at delivery
    (``render_queued_invitation``), so a registration never waits for templates or for Graph.
    """
    if not key_suffix:
        if schedule_sequence is None:
            schedule_sequence = canonical_course(registration.course).schedule_sequence
        key_suffix = str(schedule_sequence)
    queue_email_later(
        f"registration:{registration.pk}:{kind}:{key_suffix}", registration.person.email, OUTBOX_KIND,
        {"registration": registration.pk, "kind": kind,
         "sessions": [s.pk for s in sessions] if sessions is not None else None},
    )


def personal_sequence_offset(registration: Registration) -> int:
    """What the person's calendar SEQUENCE adds to the sessions' own: two per earlier, cancelled
    registration for the same course (its REQUEST and its CANCEL), because every registration of a
    person for a session shares the session's UID and a client ignores an update whose SEQUENCE does
    not grow: re-registering after a cancellation must send more than the CANCEL did."""
    earlier = (Registration.objects.filter(person_id=registration.person_id, course_id=registration.course_id,
                                           status=Registration.Status.CANCELLED)
               .exclude(pk=registration.pk).filter(created_at__lte=registration.created_at).count())
    return 2 * earlier


@receiver(email_rendering, dispatch_uid="registrations.render_invitation")
def render_queued_invitation(sender, kind: str, context: dict, **kwargs) -> RenderedEmail | None:
    """The outbox renderer of ``send_invitation``'s messages (runs in the delivering worker)."""
    if kind != OUTBOX_KIND:
        return None
    registration = Registration.objects.select_related("person", "course").get(pk=context["registration"])
    ids = context.get("sessions")
    sessions = None if ids is None else list(Session.objects.filter(pk__in=ids).order_by("starts_at"))
    return render_invitation(registration, context["kind"], sessions=sessions)


def render_invitation(registration: Registration, kind: str, *,
                      sessions: list[Session] | None = None) -> RenderedEmail:
    """Subject, body and (for confirmations, updates and cancellations) the calendar file, in the
    person's language; join links come from the providers at this moment."""
    course = registration.course.specific if type(registration.course) is not CoursePage else registration.course
    course = canonical_course(course)
    person = registration.person
    language = person.preferred_language or settings.LANGUAGE_CODE
    all_sessions = sessions if sessions is not None else list(
        course.sessions.filter(cancelled=False).order_by("starts_at"))
    with_calendar = kind in {"confirmed", "promoted", "updated", "cancelled", "session_cancelled"}
    cancel = kind in {"cancelled", "session_cancelled"}
    join_urls = {} if cancel else join_urls_for(registration, all_sessions)
    attachments = []
    position = _waiting_position(registration) if kind == "waiting" else None
    with translation.override(language):
        shown = course.localized  # Wagtail: the live translation in the active language, else the course
        if with_calendar and all_sessions:
            ics = personal_invitation(
                all_sessions, shown, attendee_email=person.email, join_urls=join_urls, cancel=cancel,
                sequence_offset=personal_sequence_offset(registration) - (1 if kind == "session_cancelled" else 0),
                language=language,
            )
            method = "CANCEL" if cancel else "REQUEST"
            attachments.append(Attachment("invito.ics" if language == "it" else "invitation.ics", ics,
                                          f"text/calendar; charset=utf-8; method={method}"))
        context = {
            "registration": registration, "person": person, "course": shown, "sessions": all_sessions,
            "join_urls": join_urls, "kind": kind,
            # Each link beside the session it opens (a masterclass has several).
            "join_links": [(session, join_urls[session.pk]) for session in all_sessions if session.pk in join_urls], "site_url": absolute_url("/").rstrip("/"),
            "course_url": page_url(shown if shown.live else course),
            "my_academy_url": absolute_url(f"/{language}/my-academy/"),
            "position": position, "now": timezone.now(),
        }
        body = render_to_string(f"emails/registrations/{TEMPLATES.get(kind, kind)}.txt", context)
        subject = _subject(kind, shown)
    return RenderedEmail(subject, body, attachments)


def _waiting_position(registration: Registration) -> int | None:
    from .reads import waiting_position  # reads → registering → invitations: imported when needed

    return waiting_position(registration)
