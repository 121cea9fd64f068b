"""Attendance certificates ("attestati di partecipazione").

A certificate exists as soon as it is issued (never lazily on first download), has a public code
for online verification, and is revoked rather than deleted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    pdf = models.FileField(upload_to="certificates/", blank=True)
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
