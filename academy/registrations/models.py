"""Registrations: a person on a course, with status and history.

The rules (eligibility, deadline, capacity, waiting list, promotion) live in
``academy.registrations.services``; these models only store what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.core.audit import AuditEvent


class RegistrationQuerySet(models.QuerySet):
    """The statuses that other apps ask about, named once."""

    def confirmed(self) -> RegistrationQuerySet:
        """Registrants who hold a seat: the people a course's attendance, certificates, materials,
        evaluation, Teams links and registers are for."""
        return self.filter(status=Registration.Status.CONFIRMED)

    def active(self) -> RegistrationQuerySet:
        """Registrations that still count (confirmed, waiting or awaiting approval)."""
        return self.filter(status__in=Registration.ACTIVE_STATUSES)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        PENDING = "pending", _("Awaiting approval")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITING, Status.PENDING)
    wagtail_reference_index_ignore = True  # a registration is no "use" of its course page (see AuditEvent)

    course = models.ForeignKey("courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT,
                               related_name="registrations")
    person = models.ForeignKey("network.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="registrations")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    consent_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One active registration per person per course, enforced by the database itself.
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=models.Q(status__in=["confirmed", "waiting", "pending"]),
                name="one_active_registration_per_course",
            ),
        ]
        indexes = [models.Index(fields=["course", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.course} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class RegistrationEvent(AuditEvent):
    """History of a registration: who did what, when (registered, promoted, approved, cancelled, ...)."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Put on the waiting list")
        PENDING = "pending", _("Awaiting approval")
        PROMOTED = "promoted", _("Promoted from the waiting list")
        APPROVED = "approved", _("Approved")
        CANCELLED = "cancelled", _("Cancelled")
        RESCHEDULED = "rescheduled", _("Session rescheduled, update sent")
        PURGED = "purged", _("Personal data purged")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.action} at {self.at:%Y-%m-%d %H:%M}"
