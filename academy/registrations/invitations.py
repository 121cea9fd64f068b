"""Personal e-mails about a registration, each queued once in the outbox, in the person's language.

``send_invitation(registration, kind)`` is the one place that builds calendar invitations. Join links
are personal: they come from ``JOIN_URL_PROVIDERS`` (the Teams integration appends a callable
``(session, registration) -> str``; ``webinars.teams.join_url_for`` is also asked when that module
exists) and travel only in these personal e-mails, never in public pages or feeds.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.core.outbox import Attachment, queue_email
from academy.courses.calendar import personal_invitation
from academy.courses.models import CoursePage, Session

from .models import Registration

logger = logging.getLogger(__name__)

# Providers are called outside the course lock (possibly slow: Graph), and for a new registration
# *before* it is saved: use ``registration.person`` and ``registration.course``, not ``registration.pk``.
JOIN_URL_PROVIDERS: list[Callable[[Session, Registration], str]] = []
TEMPLATES = {"withdrawn": "cancelled"}  # kinds that share a template

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


def _providers() -> list[Callable[[Session, Registration], str]]:
    providers = list(JOIN_URL_PROVIDERS)
    try:
        teams = importlib.import_module("webinars.teams")
    except ImportError:
        teams = None
    func = getattr(teams, "join_url_for", None) if teams else None
    if func is not None and func not in providers:
        providers.append(func)
    return providers


def join_urls_for(registration: Registration, sessions: Iterable[Session]) -> dict[int, str]:
    """Personal join links per session id, from the first provider that has one."""
    urls: dict[int, str] = {}
    providers = _providers()
    for session in sessions:
        if not session.is_online:
            continue
        for provider in providers:
            try:
                url = provider(session, registration)
            except Exception:  # a provider failure must not block the e-mail; the link follows later
                logger.exception("join URL provider %r failed for session %s", provider, session.pk)
                url = ""
            if url:
                urls[session.pk] = url
                break
    return urls


def localized_course(course: CoursePage, language: str) -> CoursePage:
    """The page in the person's language when translated (titles), else the canonical one."""
    from wagtail.models import Locale

    if language == settings.LANGUAGE_CODE and course.canonical is course:
        return course  # the canonical page is in the default language: no query
    locale = Locale.objects.filter(language_code=language).first()
    if locale and course.locale_id != locale.pk:
        translated = course.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.specific
    return course


@dataclass
class PreparedEmail:
    """A rendered message waiting for its registration id (the outbox key)."""

    kind: str
    seq: str
    to: str
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)


def send_invitation(registration: Registration, kind: str, *, sessions: list[Session] | None = None,
                    key_suffix: str = "", position: int | None = None) -> None:
    """Queue one personal e-mail about ``registration``.

    ``kind``: confirmed, promoted, updated (a session moved), cancelled, session_cancelled (with a
    calendar file) or waiting, pending, withdrawn (a waiting/pending registration cancelled),
    reminder_24h, reminder_1h (without). The outbox key makes each message exactly-once:
    ``registration:{id}:{kind}:{seq}`` where ``seq`` is the calendar SEQUENCE (or ``key_suffix``), so a
    later change yields a new message while a retry does not.
    """
    queue_invitation(registration.pk, prepare_invitation(registration, kind, sessions=sessions,
                                                         key_suffix=key_suffix, position=position))


def queue_invitation(registration_id: int, prepared: PreparedEmail) -> None:
    queue_email(f"registration:{registration_id}:{prepared.kind}:{prepared.seq}", prepared.to, prepared.subject,
                prepared.body, attachments=prepared.attachments)


def prepare_invitation(registration: Registration, kind: str, *, sessions: list[Session] | None = None,
                       key_suffix: str = "", position: int | str | None = None,
                       shown: CoursePage | None = None, course_url: str = "") -> PreparedEmail:
    """Render a message without touching the outbox. The registration may be unsaved: ``register``
    renders the likely confirmation *before* taking the course lock, keeping the locked section short,
    and passes ``shown`` and ``course_url`` (from ``course_page_url``) worked out before the lock too."""
    course = registration.course.specific if type(registration.course) is not CoursePage else registration.course
    course = getattr(course, "canonical", course)
    person = registration.person
    language = person.preferred_language or settings.LANGUAGE_CODE
    all_sessions = sessions if sessions is not None else list(
        course.sessions.filter(cancelled=False).order_by("starts_at"))
    with_calendar = kind in {"confirmed", "promoted", "updated", "cancelled", "session_cancelled"}
    cancel = kind in {"cancelled", "session_cancelled"}
    join_urls = {} if cancel else join_urls_for(registration, all_sessions)
    seq = key_suffix or str(sum(s.sequence for s in all_sessions))
    attachments = []
    if kind == "waiting" and position is None:
        position = _waiting_position(registration)
    with translation.override(language):
        shown = shown or localized_course(course, language)
        if with_calendar and all_sessions:
            ics = personal_invitation(
                all_sessions, shown, attendee_email=person.email, join_urls=join_urls, cancel=cancel,
                sequence_offset=-1 if kind == "session_cancelled" else 0, language=language,
            )
            method = "CANCEL" if cancel else "REQUEST"
            attachments.append(Attachment("invito.ics" if language == "it" else "invitation.ics", ics,
                                          f"text/calendar; charset=utf-8; method={method}"))
        context = {
            "registration": registration, "person": person, "course": shown, "sessions": all_sessions,
            "join_urls": join_urls, "kind": kind, "site_url": settings.SITE_URL.rstrip("/"),
            "course_url": course_url or _page_url(shown, course),
            "my_academy_url": settings.SITE_URL.rstrip("/") + f"/{language}/my-academy/",
            "position": position, "now": timezone.now(),
        }
        body = render_to_string(f"emails/registrations/{TEMPLATES.get(kind, kind)}.txt", context)
        subject = _subject(kind, shown)
    return PreparedEmail(kind, seq, person.email, subject, body, attachments)


def course_page_url(shown: CoursePage, course: CoursePage, language: str) -> str:
    """The absolute URL of the course page as the e-mail links it (the page in ``language``)."""
    with translation.override(language):
        return _page_url(shown, course)


def _page_url(shown: CoursePage, course: CoursePage) -> str:
    # Without a request Wagtail looks the site root paths up in the cache on every call (a Redis round
    # trip in production): ``register`` calls this once, before its lock, not in the locked section.
    return _absolute(shown.get_url() or course.get_url() or "/")


def _absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL.rstrip("/") + url


def _waiting_position(registration: Registration) -> int | None:
    from .services import waiting_position

    return waiting_position(registration)
