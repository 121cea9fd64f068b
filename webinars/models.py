"""Webinar pages: a one-session course delivered online on Microsoft Teams."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel, ObjectList, TabbedInterface

from academy.core.retrying import RetryableOperation, RetryPolicy
from academy.courses.models import CoursePage


class WebinarPage(CoursePage):
    """A webinar: free, reserved to network members, on Teams; registrants get a guest join link."""

    parent_page_types = ["cms.ProgrammePage"]
    subpage_types: list[str] = []
    template = "webinars/webinar_page.html"
    kind_label = _("webinar")

    edit_handler = TabbedInterface([
        ObjectList(CoursePage.content_panels, heading=_("Content")),
        ObjectList([InlinePanel("sessions", label=_("Date and time"), min_num=1, max_num=1)],
                   heading=_("Schedule")),
        ObjectList(CoursePage.registration_panels, heading=_("Registration")),
        ObjectList(CoursePage.promote_panels, heading=_("Promote")),
    ])

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")


# --------------------------------------------------------------------------------------------------
# Microsoft Teams integration (service: webinars.teams)
# --------------------------------------------------------------------------------------------------


class AttendanceStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the report")
    IMPORTED = "imported", _("Imported")
    UNAVAILABLE = "unavailable", _("No report in Teams")


class TeamsMeeting(models.Model):
    """The Teams online meeting of one online/hybrid session. Its join URL is a secret: it is shown
    only to the session's confirmed registrants (their invitation e-mails) and to staff."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DELETED = "deleted", _("Deleted")

    session = models.OneToOneField("courses.Session", on_delete=models.CASCADE, related_name="teams_meeting")
    meeting_id = models.CharField(_("Graph meeting id"), max_length=600)
    join_url = models.URLField(_("join URL"), max_length=2000)
    organizer_id = models.CharField(_("organizer user id"), max_length=200, blank=True)
    external_id = models.CharField(max_length=200, blank=True,
                                   help_text="Our idempotency key, sent to Graph as externalId.")
    backend = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    # Session.sequence the meeting's start/end correspond to; lower means a PATCH is due.
    synced_sequence = models.PositiveIntegerField(default=0)
    attendance_imported_at = models.DateTimeField(null=True, blank=True)
    # The attendance import stops polling once the report is imported or declared unavailable
    # (no report, an empty or deleted one, a deleted meeting) ``ATTENDANCE_GIVE_UP`` after the end.
    attendance_status = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus.choices,
                                         default=AttendanceStatus.WAITING, db_index=True)
    attendance_checked_at = models.DateTimeField(null=True, blank=True)
    # When the periodic pass last confirmed the meeting still exists in Teams (GET answered 200).
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Teams meeting")
        verbose_name_plural = _("Teams meetings")

    def __str__(self) -> str:
        return f"Teams meeting of session {self.session_id} ({self.backend}, {self.status})"


class TeamsAccount(models.Model):
    """A trainer's account in the organizer's Microsoft Entra tenant (a member, or a B2B guest invited
    into it): with it the trainer is listed in every meeting of their courses as presenter (shares the
    screen, admits the lobby) or co-organizer. Trainers without one follow the fallback in
    docs/teams.md (a co-organizer makes them presenter during the meeting)."""

    class Role(models.TextChoices):
        PRESENTER = "presenter", _("Presenter")
        COORGANIZER = "coorganizer", _("Co-organizer")

    trainer = models.OneToOneField("courses.Trainer", on_delete=models.CASCADE, related_name="teams_account",
                                   verbose_name=_("trainer"))
    user_id = models.CharField(_("Entra object id"), max_length=64, unique=True,
                               help_text=_("Object ID of the user (or guest) in Microsoft Entra ID."))
    upn = models.CharField(_("sign-in name"), max_length=320, blank=True,
                           help_text=_("The address the trainer signs in to Teams with (user principal name)."))
    role = models.CharField(_("role in the meeting"), max_length=12, choices=Role.choices, default=Role.PRESENTER)

    class Meta:
        verbose_name = _("trainer's Teams account")
        verbose_name_plural = _("trainers' Teams accounts")

    def __str__(self) -> str:
        return f"{self.trainer} ({self.upn or self.user_id})"


class GraphOperation(RetryableOperation):
    """One call (or would-be call, in dry-run) to Microsoft Graph, recorded BEFORE it is made.

    The unique ``idempotency_key`` is deterministic (``create:academy-session-12``,
    ``update:7:seq-3``, ...): a retried task finds the operation instead of repeating it, and a
    ``pending`` create left by a crashed worker is reconciled through Graph's ``createOrGet`` with
    the same key as ``externalId``, so the session never gets a second meeting.
    """

    wagtail_reference_index_ignore = True  # an API call log is no "use" of a page (see AuditEvent)
    # A refused creation is retried at once the first time, then after 2, 4, 8 ... minutes (at most an
    # hour, for ever: the session still needs its meeting); staff are alerted after the sixth failure.
    retry_policy = RetryPolicy(max_attempts=6, first_delay=datetime.timedelta(minutes=1),
                               longest_delay=datetime.timedelta(hours=1), at_once=1, give_up=False)

    class Kind(models.TextChoices):
        CREATE = "create", _("Create meeting")
        UPDATE = "update", _("Update meeting")
        DELETE = "delete", _("Delete meeting")
        ATTENDANCE = "attendance", _("Read attendance")
        BATCH = "batch", _("JSON batch")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    target = models.CharField(max_length=600, help_text="session:<id> or the Graph meeting id")
    session = models.ForeignKey("courses.Session", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="graph_operations")
    idempotency_key = models.CharField(max_length=200, unique=True)
    backend = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    request = models.JSONField(default=dict, blank=True, help_text="What was (or, in dry-run, would be) sent.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_id = models.CharField(max_length=600, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Graph operation")
        verbose_name_plural = _("Graph operations")
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} [{self.status}]"


class EmailAlias(models.Model):
    """Another address of a person (a Teams account that is not the one they registered with),
    created by staff when resolving an unmatched attendance record; matched case-insensitively."""

    email = models.EmailField(_("e-mail"), unique=True, help_text=_("Stored in lower case."))
    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="email_aliases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail alias")
        verbose_name_plural = _("e-mail aliases")

    def __str__(self) -> str:
        return f"{self.email} → {self.person}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class TeamsIdentity(models.Model):
    """The Microsoft Entra user id Teams reported for a person: learnt from a record that carried both
    the id and a registrant's address, or from staff resolving an entry, so that a later record with
    the id alone (no e-mail) still finds its person."""

    user_id = models.CharField(_("Entra user id"), max_length=64, unique=True)
    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="teams_identities")
    created_at = models.DateTimeField(auto_now_add=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("Teams identity")
        verbose_name_plural = _("Teams identities")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person}"


class UnmatchedAttendance(models.Model):
    """A Teams attendance entry that matched no registrant, kept for staff to resolve."""

    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="unmatched_attendance")
    email = models.CharField(_("e-mail"), max_length=320, blank=True)
    display_name = models.CharField(_("name shown in Teams"), max_length=300, blank=True)
    user_id = models.CharField(_("Entra user id"), max_length=64, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"))
    resolved_person = models.ForeignKey("network.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "email", "display_name"]
        verbose_name = _("unmatched attendance")
        verbose_name_plural = _("unmatched attendance")

    def __str__(self) -> str:
        return f"{self.email or self.display_name} @ session {self.session_id}: {self.minutes} min"
