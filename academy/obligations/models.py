"""Mandatory training under Italian law: the catalogue of obligations (what the law requires, in
hours within windows, by role and risk class), what an organisation declares about itself (risk
profile, which job roles hold which legal role), which courses satisfy which obligation (hours by
module and delivery mode) and which courses earn ECM credits. Training done elsewhere (towards an
obligation, ECM credits) is one record with the rest of it: ``academy.competences.ExternalTraining``.

The catalogue is shipped as data (migration ``0002_catalogue``) with the legal reference of every
figure, and kept by staff in the Wagtail admin. The status rule (hours within windows) lives in
``academy.obligations.rules``; ``academy.competences.mandatory`` feeds it from certificates and
external training for the HR dashboard, records, exports and digest.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from academy.courses.models import canonical_course_id


class DeliveryMode(models.TextChoices):
    CLASSROOM = "classroom", _("In the classroom")
    VIDEOCONFERENCE = "videoconference", _("Real-time videoconference")
    ELEARNING = "elearning", _("E-learning")


class LegalRole(models.TextChoices):
    WORKER = "worker", _("Worker")
    SUPERVISOR = "supervisor", _("Supervisor (preposto)")
    MANAGER = "manager", _("Manager (dirigente)")
    EMPLOYER = "employer", _("Employer (datore di lavoro)")
    RSPP = "rspp", _("Head of the prevention and protection service (RSPP)")
    ASPP = "aspp", _("Prevention and protection officer (ASPP)")
    FIRST_AIDER = "first_aider", _("First aider")
    FIRE_WARDEN = "fire_warden", _("Fire warden")
    HEALTH_PROFESSIONAL = "health_professional", _("Health professional (ECM)")


class RiskClass(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class FireLevel(models.TextChoices):
    LEVEL_1 = "1", _("Level 1")
    LEVEL_2 = "2", _("Level 2")
    LEVEL_3 = "3", _("Level 3")


class FirstAidGroup(models.TextChoices):
    A = "A", _("Group A")
    B = "B", _("Group B")
    C = "C", _("Group C")


RISK_TOKENS = ([f"hs:{c}" for c in RiskClass.values] + [f"fire:{c}" for c in FireLevel.values]
               + [f"fa:{c}" for c in FirstAidGroup.values])


def split_tokens(value: str) -> frozenset[str]:
    return frozenset(t.strip() for t in (value or "").split(",") if t.strip())


class Obligation(models.Model):
    """A training duty set by law for one legal role (and, where the law distinguishes them, some
    risk classes): initial hours, then ``refresher_hours`` within every ``window_months`` counted from
    the end date on the last attestato. ECM obligations count credits in fixed three-year cycles."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("hours")
        CREDITS = "credits", _("ECM credits")

    code = models.SlugField(_("code"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    role = models.CharField(_("legal role"), max_length=30, choices=LegalRole.choices)
    risk_classes = models.CharField(
        _("risk classes"), max_length=100, blank=True,
        help_text=_("Comma-separated, e.g. hs:high, fire:2, fa:A. Empty: whatever the risk class."))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.HOURS)
    initial_hours = models.DecimalField(_("initial hours (or credits)"), max_digits=6, decimal_places=2,
                                        validators=[MinValueValidator(0)])
    refresher_hours = models.DecimalField(_("refresher hours (or credits)"), max_digits=6, decimal_places=2,
                                          null=True, blank=True, validators=[MinValueValidator(0)])
    window_months = models.PositiveSmallIntegerField(
        _("refresher window (months)"), null=True, blank=True, help_text=_("Empty: no refresher."))
    allow_classroom = models.BooleanField(_("classroom counts"), default=True)
    allow_videoconference = models.BooleanField(_("real-time videoconference counts"), default=True)
    allow_elearning = models.BooleanField(_("e-learning counts"), default=False)
    legal_reference = models.CharField(_("legal reference"), max_length=300)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("title"), FieldPanel("code"), FieldPanel("role"), FieldPanel("risk_classes"),
        MultiFieldPanel([FieldPanel("unit"), FieldPanel("initial_hours"), FieldPanel("refresher_hours"),
                         FieldPanel("window_months")], heading=_("Hours and window")),
        MultiFieldPanel([FieldPanel("allow_classroom"), FieldPanel("allow_videoconference"),
                         FieldPanel("allow_elearning")], heading=_("Delivery modes")),
        FieldPanel("legal_reference"), FieldPanel("source_url"), FieldPanel("notes"), FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        unknown = split_tokens(self.risk_classes) - set(RISK_TOKENS)
        if unknown:
            raise ValidationError({"risk_classes": _("Unknown risk classes: %(tokens)s. Use: %(known)s.") % {
                "tokens": ", ".join(sorted(unknown)), "known": ", ".join(RISK_TOKENS)}})
        if (self.refresher_hours is None) != (self.window_months is None):
            raise ValidationError(_("Give both the refresher hours and the window, or neither."))

    @property
    def risk_tokens(self) -> frozenset[str]:
        return split_tokens(self.risk_classes)

    def allows(self, mode: str) -> bool:
        return {DeliveryMode.CLASSROOM: self.allow_classroom,
                DeliveryMode.VIDEOCONFERENCE: self.allow_videoconference,
                DeliveryMode.ELEARNING: self.allow_elearning}.get(mode, False)

    @property
    def allowed_modes(self) -> list[str]:
        return [m.label for m in DeliveryMode if self.allows(m)]

    @property
    def is_ecm(self) -> bool:
        return self.unit == self.Unit.CREDITS


class RiskProfile(models.Model):
    """What an organisation (a cooperative, or a unit of it registered as a member organisation)
    declares: its risk class under the State-Regions Agreement, fire risk level, first-aid group.
    Members of a consortium without a profile of their own inherit the nearest one above."""

    organisation = models.OneToOneField("network.Organisation", verbose_name=_("organisation"),
                                        on_delete=models.CASCADE, related_name="risk_profile")
    risk_class = models.CharField(_("risk class (health and safety)"), max_length=10,
                                  choices=RiskClass.choices, blank=True)
    fire_level = models.CharField(_("fire risk level"), max_length=1, choices=FireLevel.choices, blank=True)
    first_aid_group = models.CharField(_("first-aid group"), max_length=1, choices=FirstAidGroup.choices,
                                       blank=True)
    everyone_is_worker = models.BooleanField(
        _("all staff are workers"), default=True,
        help_text=_("Everyone on the roster has the worker obligations, whatever the job role."))

    panels = [FieldPanel("organisation"), FieldPanel("risk_class"), FieldPanel("fire_level"),
              FieldPanel("first_aid_group"), FieldPanel("everyone_is_worker")]

    class Meta:
        verbose_name = _("risk profile")
        verbose_name_plural = _("risk profiles")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def tokens(self) -> frozenset[str]:
        found = set()
        if self.risk_class:
            found.add(f"hs:{self.risk_class}")
        if self.fire_level:
            found.add(f"fire:{self.fire_level}")
        if self.first_aid_group:
            found.add(f"fa:{self.first_aid_group}")
        return frozenset(found)


class JobRoleMapping(models.Model):
    """A job role of an organisation (as written on its roster) holds a legal role: "Coordinatore" →
    supervisor. Applies to the members of a consortium too. Matched without regard to case."""

    organisation = models.ForeignKey("network.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="job_role_mappings")
    job_role = models.CharField(_("job role"), max_length=120)
    role = models.CharField(_("legal role"), max_length=30, choices=LegalRole.choices)

    panels = [FieldPanel("organisation"), FieldPanel("job_role"), FieldPanel("role")]

    class Meta:
        ordering = ["organisation__name", "job_role", "role"]
        verbose_name = _("job role mapping")
        verbose_name_plural = _("job role mappings")
        constraints = [models.UniqueConstraint(fields=["organisation", "job_role", "role"],
                                               name="one_mapping_per_job_role_and_role")]

    def __str__(self) -> str:
        return f"{self.job_role} → {self.get_role_display()}"


class Designation(models.Model):
    """A legal role held by one person whatever their job role (the designated first aider, fire
    warden, a supervisor appointed by name)."""

    person = models.ForeignKey("network.Person", verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="designations")
    role = models.CharField(_("legal role"), max_length=30, choices=LegalRole.choices)
    since = models.DateField(_("since"), null=True, blank=True)

    panels = [FieldPanel("person"), FieldPanel("role"), FieldPanel("since")]

    class Meta:
        ordering = ["person__last_name", "role"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="one_designation_per_role")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class CourseModule(models.Model):
    """Hours of an Academy course that count towards an obligation, by module and delivery mode
    (a course may satisfy several obligations, e.g. the general and the specific module)."""

    course = models.ForeignKey("courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE,
                               related_name="obligation_modules")
    obligation = models.ForeignKey(Obligation, verbose_name=_("obligation"), on_delete=models.PROTECT,
                                   related_name="course_modules")
    title = models.CharField(_("module"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    delivery_mode = models.CharField(_("delivery mode"), max_length=20, choices=DeliveryMode.choices,
                                     default=DeliveryMode.CLASSROOM)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("course"), FieldPanel("obligation"), FieldPanel("title"), FieldPanel("hours"),
              FieldPanel("delivery_mode"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["course_id", "sort_order", "pk"]
        verbose_name = _("course module (obligation)")
        verbose_name_plural = _("course modules (obligations)")

    def __str__(self) -> str:
        return f"{self.course} — {self.title or self.obligation} ({self.hours} h)"

    def save(self, *args, **kwargs):
        self.course_id = canonical_course_id(self.course_id)
        super().save(*args, **kwargs)


class CourseEcm(models.Model):
    """An Academy course run with an accredited ECM provider: a valid certificate earns the credits."""

    course = models.OneToOneField("courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE,
                                  related_name="ecm")
    provider_id = models.CharField(_("provider id"), max_length=30)
    provider_name = models.CharField(_("accredited provider"), max_length=255)
    event_id = models.CharField(_("event id"), max_length=30)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1,
                                  validators=[MinValueValidator(Decimal(0))])

    panels = [FieldPanel("course"), FieldPanel("provider_name"), FieldPanel("provider_id"),
              FieldPanel("event_id"), FieldPanel("credits")]

    class Meta:
        verbose_name = _("ECM accreditation of a course")
        verbose_name_plural = _("ECM accreditations of courses")

    def __str__(self) -> str:
        return f"{self.course} — {self.provider_name} {self.event_id}"

    def save(self, *args, **kwargs):
        self.course_id = canonical_course_id(self.course_id)
        super().save(*args, **kwargs)
