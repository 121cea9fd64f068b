"""Why a registration operation was refused; ``message`` is translated and meant for the person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class RegistrationError(Exception):
    """A registration was refused; ``message`` is translated and meant for the person."""

    default_message = _("The registration could not be completed.")

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotEligible(RegistrationError):
    default_message = _("Training is open exclusively to members of the network.")


class DeadlinePassed(RegistrationError):
    default_message = _("The registration deadline has passed.")


class RegistrationClosed(RegistrationError):
    default_message = _("Registration for this course is closed.")


class AlreadyRegistered(RegistrationError):
    default_message = _("You are already registered for this course.")


class NotAllowed(RegistrationError):
    default_message = _("You are not allowed to do this.")


class CourseFull(RegistrationError):
    default_message = _("There is no free seat on this course.")


class Busy(RegistrationError):
    default_message = _("Many people are registering right now: please try again in a moment.")
