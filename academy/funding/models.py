"""Funded training: a plan paid for by an interprofessional fund, the courses it groups, the inspectors
who may check it, and what the course file keeps of a learner who asked for erasure.

The registers themselves are not stored: they are built from the attendance intervals
(``academy.attendance``) whenever they are asked for (``academy.funding.services.registers``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.core.audit import AuditEvent

DEFAULT_MINIMUM = 70


def course_file_years() -> int:
    """How long a funded course's file is kept after the plan ends (``ACADEMY_COURSE_FILE_YEARS``)."""
    return int(getattr(settings, "ACADEMY_COURSE_FILE_YEARS", 10))


class FundedPlan(models.Model):
    class Fund(models.TextChoices):
        FONCOOP = "foncoop", "Fon.Coop"
        FONDIMPRESA = "fondimpresa", "Fondimpresa"
        FORTE = "forte", "For.Te."
        FONDIR = "fondir", "Fondir"
        OTHER = "other", _("Other fund")

    fund = models.CharField(_("fund"), max_length=20, choices=Fund.choices, default=Fund.FONCOOP)
    title = models.CharField(_("plan title"), max_length=300)
    call_code = models.CharField(_("call (Avviso)"), max_length=100, blank=True,
                                 help_text=_("The fund's call, e.g. \"Avviso 55\"."))
    protocol_code = models.CharField(_("protocol number"), max_length=100, blank=True)
    plan_code = models.CharField(_("plan code"), max_length=100, unique=True)
    project_code = models.CharField(_("project code"), max_length=100, blank=True)
    proposer = models.ForeignKey("network.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="funded_plans", verbose_name=_("proposing organisation"))
    responsible_name = models.CharField(_("responsible person"), max_length=200)
    responsible_role = models.CharField(_("responsible person's role"), max_length=200, blank=True,
                                        help_text=_("e.g. legal representative of the proposing organisation"))
    responsible_fiscal_code = models.CharField(_("responsible person's codice fiscale"), max_length=16, blank=True)
    responsible_email = models.EmailField(_("responsible person's e-mail"), blank=True)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="responsible_plans",
                                         verbose_name=_("responsible person's account"),
                                         help_text=_("May download the plan's registers and declaration."))
    minimum_attendance = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=DEFAULT_MINIMUM,
        help_text=_("Share of the planned hours each learner must attend for the fund to recognise them."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    courses = models.ManyToManyField("courses.CoursePage", related_name="funded_plans", blank=True,
                                     verbose_name=_("courses"))
    retention_years = models.PositiveSmallIntegerField(
        _("course file kept for (years)"), null=True, blank=True,
        help_text=_("After the plan ends. Empty: the Academy's default (ACADEMY_COURSE_FILE_YEARS)."))
    course_file_purged_at = models.DateTimeField(_("course file purged at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("funded plan")
        verbose_name_plural = _("funded plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="plan_ends_after_start"),
            models.CheckConstraint(condition=models.Q(minimum_attendance__lte=100), name="plan_minimum_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_code} — {self.title}"

    @property
    def retained_until(self) -> datetime.datetime:
        """End of the course file's retention: the plan's end plus the retention period (Europe/Rome)."""
        years = self.retention_years or course_file_years()
        end = self.ends_on
        try:
            day = end.replace(year=end.year + years)
        except ValueError:  # 29 February
            day = end.replace(year=end.year + years, day=28)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


class InspectorAccess(models.Model):
    """A time-limited, read-only account of the fund's (or the control body's) inspector, for one plan."""

    plan = models.ForeignKey(FundedPlan, on_delete=models.CASCADE, related_name="inspectors")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inspector_access")
    name = models.CharField(_("inspector's name"), max_length=200)
    body = models.CharField(_("inspecting body"), max_length=200, blank=True)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("inspector access")
        verbose_name_plural = _("inspector accesses")
        constraints = [models.CheckConstraint(condition=models.Q(valid_until__gt=models.F("valid_from")),
                                              name="inspector_access_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan.plan_code})"

    def is_valid(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.valid_from <= now <= self.valid_until


class InspectorAccessLog(AuditEvent):
    """Every page an inspector opened (who, what, when): the fund may ask who saw the registers."""

    access = models.ForeignKey(InspectorAccess, on_delete=models.CASCADE, related_name="log")
    path = models.CharField(_("page"), max_length=500)
    session = models.ForeignKey("courses.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(AuditEvent.Meta):
        ordering = ["-at", "-pk"]
        verbose_name = _("inspector access log")
        verbose_name_plural = _("inspector access logs")

    def __str__(self) -> str:
        return f"{self.access} {self.path} {self.at:%Y-%m-%d %H:%M}"


class CourseFileLearner(models.Model):
    """What the course file keeps of a learner who asked for erasure while the plan's file is held:
    the identity the register must show (GDPR art. 17(3)(b)) and the privacy notice lists — name, codice
    fiscale, organisation; no e-mail. Deleted by the purge when the hold ends."""

    plan = models.ForeignKey(FundedPlan, on_delete=models.CASCADE, related_name="kept_learners")
    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="+")
    full_name = models.CharField(max_length=250)
    fiscal_code = models.CharField(max_length=16, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    kept_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learner kept in a course file")
        verbose_name_plural = _("learners kept in course files")
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="one_kept_learner_per_plan")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.plan.plan_code})"
