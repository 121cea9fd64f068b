"""Attendance: minutes of a person at a session, with where they came from.

Several sources may report on the same person and session (a Teams report, a check-in by the
trainer, a correction by staff); the rules that combine them live in
``academy.attendance.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.core.audit import AuditEvent


class AttendanceRecord(models.Model):
    class Source(models.TextChoices):
        TEAMS = "teams", _("Teams attendance report")
        CHECKIN = "checkin", _("In-person check-in")
        CORRECTION = "correction", _("Correction by staff")

    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("network.Person", verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="attendance")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    minutes = models.PositiveIntegerField(_("minutes attended"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(fields=["session", "person", "source"], name="one_record_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}: {self.minutes} min ({self.source})"


class AttendanceChange(AuditEvent):
    """Audit trail of manual corrections: who changed whose minutes at which session, from what to
    what, and why. Rows are never edited or deleted by the application (the record may go away with
    its session, the trail keeps the person and session ids)."""

    record = models.ForeignKey(AttendanceRecord, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="changes")
    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="attendance_changes")
    person = models.ForeignKey("network.Person", verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="attendance_changes")
    old_minutes = models.PositiveIntegerField(_("minutes before"))
    new_minutes = models.PositiveIntegerField(_("minutes after"))
    # A correction's reason is mandatory, so it has its own column instead of the optional ``note``.
    reason = models.CharField(_("reason"), max_length=300)
    note = None
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta(AuditEvent.Meta):
        ordering = ["-at", "-pk"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}: {self.old_minutes} → {self.new_minutes} ({self.reason})"


class AttendanceInterval(models.Model):
    """One join/leave span of a person at a session, as its source reported it.

    Teams attendance records give several (``attendanceIntervals``: a drop and a rejoin, a second
    device); an in-person check-in opens one and the check-out closes it (``left_at`` empty while the
    person is in the room). Minutes derive from intervals by one rule (``academy.attendance.intervals``).
    Funded-training registers print them: they are the login and logout times the funds ask for.
    """

    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="attendance_intervals")
    person = models.ForeignKey("network.Person", verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="attendance_intervals")
    source = models.CharField(_("source"), max_length=20, choices=AttendanceRecord.Source.choices)
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "person", "joined_at", "pk"]
        verbose_name = _("attendance interval")
        verbose_name_plural = _("attendance intervals")
        indexes = [models.Index(fields=["session", "person"], name="attendance_interval_session")]
        constraints = [
            models.CheckConstraint(condition=models.Q(left_at__isnull=True)
                                   | models.Q(left_at__gte=models.F("joined_at")),
                                   name="interval_leaves_after_join"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}: {self.joined_at:%H:%M}–{self.left_at and f'{self.left_at:%H:%M}'}"


class RawAttendanceReport(models.Model):
    """A Teams attendance report exactly as imported (the report and its records, JSON), with the
    import time. Teams deletes attendance reports after about a year; funded and mandatory training
    must prove attendance for years, so the Academy keeps what it read. Every import adds rows; the
    latest import of a report is the one in force."""

    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="raw_attendance_reports")
    report_id = models.CharField(_("report id"), max_length=200)
    payload = models.JSONField(_("report as imported"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "-imported_at", "-pk"]
        verbose_name = _("Teams attendance report (raw)")
        verbose_name_plural = _("Teams attendance reports (raw)")

    def __str__(self) -> str:
        return f"{self.session} — {self.report_id} ({self.imported_at:%Y-%m-%d %H:%M})"
