"""Cancelling a registration (the freed seat goes to the first in line) and telling confirmed people
when one of the course's sessions moves or is cancelled."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.core.permissions import is_staff
from academy.courses.models import Session
from academy.courses.signals import session_cancelled, session_rescheduled

from .errors import NotAllowed, RegistrationClosed
from .invitations import send_invitation
from .models import Registration, RegistrationEvent
from .reads import canonical, may_cancel
from .registering import _locked_registration, busy_on_lock_wait, fill_free_seats, log
from .signals import move_announced

Status = Registration.Status
Action = RegistrationEvent.Action


def cancel(registration: Registration, *, by=None, notify: bool = True, note: str = "") -> Registration:
    """Cancel a registration; a freed seat goes to the first person waiting, who is told.

    Idempotent: cancelling a cancelled registration changes nothing.
    """
    if not may_cancel(by, registration):
        raise NotAllowed()
    with busy_on_lock_wait(), transaction.atomic():
        registration = _locked_registration(registration)
        if registration.status == Status.CANCELLED:
            return registration
        course = canonical(registration.course)
        if course.is_past and not is_staff(by) and by is not None:
            raise RegistrationClosed(_("This course has already taken place."))
        was_confirmed = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration.course = course
        log(registration, Action.CANCELLED, by, note)
        if notify:  # the withdrawal carries SEQUENCE + 1, so calendars replace the invitation
            send_invitation(registration, "cancelled" if was_confirmed else "withdrawn",
                            key_suffix=str(course.schedule_sequence + 1))
        if was_confirmed:
            fill_free_seats(course, by=None)
    return registration


def _notify_confirmed(session: Session, kind: str, action: str | None) -> int:
    """Send every confirmed registrant of ``session``'s course the ``kind`` message for that session
    (same UID, the session's new SEQUENCE); ``action`` is logged in their history when given."""
    session = Session.objects.select_related("course").get(pk=session.pk)
    course = canonical(session.course)
    sent = 0
    with transaction.atomic():
        for registration in Registration.objects.confirmed().filter(course_id=course.pk) \
                .select_related("person"):
            registration.course = course
            send_invitation(registration, kind, sessions=[session], key_suffix=f"{session.pk}-{session.sequence}")
            if action:
                log(registration, action, None, f"session {session.pk} seq {session.sequence}")
            sent += 1
    return sent


@receiver(session_rescheduled, dispatch_uid="registrations.session_rescheduled")
def on_session_rescheduled(sender, session: Session, **kwargs) -> int:
    """A session moved: every confirmed registrant gets the updated entry (same UID, new SEQUENCE),
    unless an integration answers ``move_announced``: it sends it once its part is ready."""
    if any(answer for _receiver, answer in move_announced.send(sender=Session, session=session)):
        return 0
    return notify_rescheduled(session)


def notify_rescheduled(session: Session) -> int:
    return _notify_confirmed(session, "updated", Action.RESCHEDULED)


@receiver(session_cancelled, dispatch_uid="registrations.session_cancelled")
def on_session_cancelled(sender, session: Session, **kwargs) -> int:
    """A session was cancelled: confirmed registrants get a METHOD:CANCEL for it."""
    return _notify_confirmed(session, "session_cancelled", None)
