"""The one registration service: register, cancel, promote, approve, reminders and retention.

Pages, the Wagtail admin, management commands, tasks and masterclass applications all call these
functions; nothing else changes a registration's status. The code lives by concern (``registering``:
seat decisions, the waiting list and promotion, under the course lock; ``cancelling``; ``reminders``;
``retention``; ``reads``; ``invitations``: the personal e-mails; ``errors``); this module is the name
callers import.
"""

from __future__ import annotations

from .cancelling import cancel, notify_rescheduled, on_session_cancelled, on_session_rescheduled
from .errors import (
                     AlreadyRegistered,
                     Busy,
                     CourseFull,
                     DeadlinePassed,
                     NotAllowed,
                     NotEligible,
                     RegistrationClosed,
                     RegistrationError,
)
from .invitations import join_urls_for, send_invitation
from .reads import (
                     REGISTER_FIELDS,
                     active_registration,
                     attach_public_states,
                     confirmed_count,
                     consent_on_record,
                     counts,
                     free_seats,
                     may_cancel,
                     may_register_for,
                     registrable_course,
                     registration_blocker,
                     seat_counts,
                     waiting_position,
)
from .registering import approve, fill_free_seats, promote, register
from .reminders import REMINDERS, send_due_reminders
from .retention import purge_expired_personal_data

__all__ = [
    "REGISTER_FIELDS", "REMINDERS", "AlreadyRegistered", "Busy", "CourseFull", "DeadlinePassed", "NotAllowed",
    "NotEligible", "RegistrationClosed", "RegistrationError", "active_registration", "approve",
    "attach_public_states", "cancel", "join_urls_for", "notify_rescheduled", "send_invitation",
    "confirmed_count", "consent_on_record", "counts", "fill_free_seats", "free_seats", "may_cancel", "may_register_for",
    "on_session_cancelled", "on_session_rescheduled", "promote", "purge_expired_personal_data", "register",
    "registrable_course", "registration_blocker", "seat_counts", "send_due_reminders",
    "waiting_position",
]
