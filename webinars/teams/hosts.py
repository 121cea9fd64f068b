"""Who runs a meeting: the lobby policy, the trainers (and staff producers) listed as presenters or
co-organizers, and each trainer's own invitation saying what they can do and how."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from academy.core.outbox import queue_email
from academy.courses.models import CoursePage, Session, Trainer

from ..models import TeamsAccount, TeamsMeeting

logger = logging.getLogger(__name__)

#: lobbyBypassScope values the Academy accepts from ``TEAMS_LOBBY_SCOPE`` (``everyone`` would let
#: any forwarded link in, ``organizer`` would leave even the trainers in the lobby).
LOBBY_SCOPES = ("organization", "organizationExcludingGuests", "organizationAndFederated", "invited")


def lobby_policy() -> tuple[str, bool]:
    """(lobby scope, whether phone callers skip the lobby) from ``settings.TEAMS``."""
    teams = getattr(settings, "TEAMS", {}) or {}
    scope = teams.get("LOBBY_SCOPE") or "organization"
    if scope not in LOBBY_SCOPES:
        logger.error("TEAMS_LOBBY_SCOPE %r is not one of %s; using 'organization'", scope, LOBBY_SCOPES)
        scope = "organization"
    return scope, bool(teams.get("DIAL_IN_BYPASS_LOBBY", False))


def producers() -> list[str]:
    """Entra object ids of the staff producers (``TEAMS_PRODUCERS``), co-organizers of every meeting."""
    raw = (getattr(settings, "TEAMS", {}) or {}).get("PRODUCERS") or ""
    return [part.strip() for part in str(raw).split(",") if part.strip()]


def hosts_for(course: CoursePage) -> tuple[tuple[str, str, str], ...]:
    """(Entra id, sign-in name, role) of everyone listed in the course's meetings: its trainers that
    have an account in the tenant, then the staff producers; sorted, so the spec is stable."""
    accounts = TeamsAccount.objects.filter(trainer__in=course.trainers.all())
    listed = {a.user_id: (a.user_id, a.upn, a.role) for a in accounts}
    for user_id in producers():
        listed.setdefault(user_id, (user_id, "", TeamsAccount.Role.COORGANIZER))
    return tuple(sorted(listed.values()))


def trainer_address(trainer: Trainer) -> str:
    """Where a trainer's invitation goes: their Academy account's e-mail, else a sign-in name that is
    an address (a guest's ``…#EXT#@…`` name is not)."""
    if trainer.user_id and trainer.user.email:
        return trainer.user.email
    account = TeamsAccount.objects.filter(trainer=trainer).first()
    if account and "@" in account.upn and "#" not in account.upn:
        return account.upn
    return ""


def _language(trainer: Trainer) -> str:
    person = getattr(trainer.user, "person", None) if trainer.user_id else None
    return getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE


def hosts_changed(sender, instance: TeamsAccount, **kwargs) -> None:
    """A trainer's Teams account was added, changed or removed: the next pass re-checks (GET, and
    PATCH if needed) the upcoming meetings of their courses instead of waiting for ``CHECK_EVERY``."""
    TeamsMeeting.objects.filter(session__course__trainers=instance.trainer_id,
                                status=TeamsMeeting.Status.ACTIVE).update(checked_at=None)


def send_trainer_invitations(meetings: list[TeamsMeeting]) -> int:
    """Each trainer of these meetings' courses gets their own invitation per meeting and schedule
    (outbox key: exactly once), saying whether they present with their tenant account or must be
    made presenter in the meeting. Runs in the caller's transaction."""
    sent = 0
    for meeting in meetings:
        session = Session.objects.select_related("course").get(pk=meeting.session_id)
        course = session.course.specific.canonical
        accounts = {a.trainer_id: a for a in TeamsAccount.objects.filter(trainer__in=course.trainers.all())}
        for trainer in course.trainers.select_related("user"):
            address = trainer_address(trainer)
            if not address:
                logger.warning("Trainer %s has no e-mail address: no Teams invitation sent", trainer.pk)
                continue
            with translation.override(_language(trainer)):
                context = {"trainer": trainer, "course": course, "session": session, "url": meeting.join_url,
                           "account": accounts.get(trainer.pk)}
                body = render_to_string("emails/webinars/trainer_invitation.txt", context)
                subject = _("Your Teams meeting as trainer: %(course)s") % {"course": course.title}
            state = "presenter" if trainer.pk in accounts else "lobby"  # an account added later: a new e-mail
            key = f"teams-trainer:{meeting.meeting_id[-80:]}:seq-{session.sequence}:{trainer.pk}:{state}"
            queue_email(key, address, subject, body)
            sent += 1
    return sent
