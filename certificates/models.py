"""Attendance certificates ("attestati di partecipazione").

A certificate exists as soon as it is issued (never lazily on first download), has a public code
for online verification, and is revoked rather than deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.core.audit import AuditEvent
from academy.core.jobs import BackgroundJob
from academy.core.storage import PrivateStorage

private_storage = PrivateStorage()
"""Certificate PDFs live under ``PRIVATE_ROOT`` and are served only by the permission-checking views."""


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    code = models.CharField(_("public code"), max_length=32, unique=True)
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey("network.Person", on_delete=models.PROTECT, related_name="certificates")
    hours = models.DecimalField(_("certified hours"), max_digits=5, decimal_places=2)
    minutes_attended = models.PositiveIntegerField(_("minutes attended"), default=0)
    first_date = models.DateField(_("from"))
    last_date = models.DateField(_("to"))
    issued_at = models.DateTimeField(_("issued at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID,
                              db_index=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="certificates/", blank=True, storage=private_storage, max_length=200)
    language = models.CharField(_("language"), max_length=2, default="it",
                                help_text=_("Language the certificate was rendered in (the person's)."))
    version = models.PositiveSmallIntegerField(default=1, help_text="Bumped when re-issued after a correction.")

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="one_certificate_per_course_person"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.person} — {self.course}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class CertificateEvent(AuditEvent):
    """History of a certificate: issued, re-issued after a correction, revoked, e-mailed."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REISSUED = "reissued", _("Re-issued")
        REVOKED = "revoked", _("Revoked")
        EMAILED = "emailed", _("E-mailed")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    version = models.PositiveSmallIntegerField(default=1)

    class Meta(AuditEvent.Meta):
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")

    def __str__(self) -> str:
        return f"{self.certificate_id} v{self.version}: {self.action}"


class BulkIssueJob(BackgroundJob):
    """One staff request to issue a course's certificates in the background, with its progress."""

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="certificate_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created = models.PositiveIntegerField(_("new certificates"), default=0)
    reissued = models.PositiveIntegerField(_("re-issued"), default=0)
    ineligible = models.PositiveIntegerField(_("not eligible"), default=0)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("bulk issue job")
        verbose_name_plural = _("bulk issue jobs")

    def __str__(self) -> str:
        return f"{self.course} — {self.status} {self.done}/{self.total}"
