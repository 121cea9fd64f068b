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
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
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
    EMPLOYER_SPP = "employer_spp", _("Employer acting as RSPP (DL-SPP, art. 34)")
    SITE_EMPLOYER = "site_employer", _("Employer of the contracting firm on construction sites (art. 97 c. 3-ter)")
    SITE_MANAGER = "site_manager", _("Manager of the contracting firm on construction sites (art. 97 c. 3-ter)")
    RSPP = "rspp", _("Head of the prevention and protection service (RSPP)")
    ASPP = "aspp", _("Prevention and protection officer (ASPP)")
    RLS = "rls", _("Workers' safety representative (RLS)")
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


class Sector(models.TextChoices):
    """The sectors with their own modules: RSPP/ASPP module B specialisations (2025 Agreement Part II
    point 5.3) and the employer-RSPP integrative modules (Part II point 4, no residential care)."""

    AGRICULTURE = "agriculture", _("Agriculture, forestry, animal husbandry (ATECO A 01-02)")
    FISHING = "fishing", _("Fishing (ATECO A 03)")
    CONSTRUCTION = "construction", _("Construction (ATECO F)")
    RESIDENTIAL_CARE = "residential_care", _("Residential health and social care (ATECO Q 86.1, 87)")
    CHEMICAL = "chemical", _("Chemical and petrochemical (ATECO C 19-20)")


class Workforce(models.TextChoices):
    """Headcount bands of D.Lgs. 81/2008 art. 37 c. 11 (the RLS's yearly refresher)."""

    UNDER_15 = "lt15", _("Fewer than 15 workers")
    FROM_15_TO_50 = "15-50", _("15 to 50 workers")
    OVER_50 = "gt50", _("More than 50 workers")


class LegalFrame(models.TextChoices):
    """The text that sets an obligation: decides the final test, the pass mark and the transitions."""

    ASR_2025 = "asr2025", _("State-Regions Agreement 59/CSR of 17/04/2025")
    DLGS_81 = "dlgs81", _("D.Lgs. 81/2008 (directly)")
    DM_388 = "dm388", _("DM 388/2003 (first aid)")
    DM_FIRE = "dm2021", _("DM 2 September 2021 (fire safety)")
    ECM = "ecm", _("ECM (continuing medical education)")
    OTHER = "other", _("Other")


RISK_TOKENS = ([f"hs:{c}" for c in RiskClass.values] + [f"fire:{c}" for c in FireLevel.values]
               + [f"fa:{c}" for c in FirstAidGroup.values] + [f"sector:{c}" for c in Sector.values]
               + [f"staff:{c}" for c in Workforce.values])


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
    title_en = models.CharField(_("title in English"), max_length=200, blank=True,
                                help_text=_("Shown on English pages; empty: the Italian title."))
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
    legal_frame = models.CharField(_("legal frame"), max_length=10, choices=LegalFrame.choices,
                                   default=LegalFrame.OTHER)
    initial_hours_previous = models.DecimalField(
        _("initial hours under the repealed agreements"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("A course done under the 2011/2016 agreements with at least these hours keeps full credit "
                    "(2025 Agreement Part VII). Empty: only the current hours count."))
    requalify_years = models.PositiveSmallIntegerField(
        _("late refresher re-qualifies within (years)"), null=True, blank=True,
        help_text=_("Qualifying courses (abilitanti): a refresher later than this many years after the last "
                    "qualifying date no longer counts, the full course must be repeated (Part III; FAQ 2026 "
                    "q. 8). Empty: a late refresher always re-qualifies."))
    refresher_from_module = models.CharField(
        _("refresher counted from the module"), max_length=20, blank=True,
        help_text=_("When the initial course is recorded by module (Credit.module), the refresher window runs "
                    "from the end of this one, e.g. B for the RSPP and ASPP (Part III 3). Empty: from the end "
                    "of the whole initial course."))
    transition_from = models.DateField(
        _("transition counted from"), null=True, blank=True,
        help_text=_("Empty: the 2025 Agreement's entry into force (setting ASR_2025_ENTRY_INTO_FORCE)."))
    initial_transition_months = models.PositiveSmallIntegerField(
        _("initial course due within (months of the transition)"), null=True, blank=True,
        help_text=_("People already in the role complete the initial course within this many months."))
    transition_overdue_months = models.PositiveSmallIntegerField(
        _("refresher already overdue: due within (months)"), null=True, blank=True,
        help_text=_("A qualification older than the window at the transition is refreshed within this many "
                    "months of it."))
    transition_recent_months = models.PositiveSmallIntegerField(
        _("recent qualification: due within (months)"), null=True, blank=True,
        help_text=_("A qualification within the window at the transition is refreshed within this many months "
                    "of it. Empty: its own window."))
    elearning_low_risk_only = models.BooleanField(
        _("e-learning only for low-risk jobs"), default=False,
        help_text=_("E-learning counts only when the person's own job is low risk (FAQ 2025 n. 57)."))
    practical_hours = models.DecimalField(
        _("practical hours (in presence)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)])
    final_test_required = models.BooleanField(_("final test required"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), null=True, blank=True, validators=[MaxValueValidator(100)],
        help_text=_("Empty: the law sets none, the training provider decides."))
    test_min_questions = models.PositiveSmallIntegerField(_("final test: at least (questions)"), null=True,
                                                          blank=True)
    test_min_options = models.PositiveSmallIntegerField(_("final test: at least (options per question)"),
                                                        null=True, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=300)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("title"), FieldPanel("title_en"), FieldPanel("code"), FieldPanel("role"), FieldPanel("risk_classes"),
        MultiFieldPanel([FieldPanel("unit"), FieldPanel("initial_hours"), FieldPanel("refresher_hours"),
                         FieldPanel("window_months")], heading=_("Hours and window")),
        MultiFieldPanel([FieldPanel("allow_classroom"), FieldPanel("allow_videoconference"),
                         FieldPanel("allow_elearning"), FieldPanel("elearning_low_risk_only"),
                         FieldPanel("practical_hours")], heading=_("Delivery modes")),
        MultiFieldPanel([FieldPanel("legal_frame"), FieldPanel("initial_hours_previous"),
                         FieldPanel("requalify_years"), FieldPanel("refresher_from_module"),
                         FieldPanel("transition_from"),
                         FieldPanel("initial_transition_months"), FieldPanel("transition_overdue_months"),
                         FieldPanel("transition_recent_months")], heading=_("Legal frame and transitions")),
        MultiFieldPanel([FieldPanel("final_test_required"), FieldPanel("pass_mark"),
                         FieldPanel("test_min_questions"), FieldPanel("test_min_options")],
                        heading=_("Final test")),
        FieldPanel("legal_reference"), FieldPanel("source_url"), FieldPanel("notes"), FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        """The title in the active language: English on English pages when there is one, else Italian.
        The legal reference has no translation: it cites Italian texts word for word."""
        english = (translation.get_language() or "it").startswith("en")
        return self.title_en if english and self.title_en else self.title

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
    sector = models.CharField(_("sector with its own modules"), max_length=20, choices=Sector.choices,
                              blank=True)
    workforce = models.CharField(_("workforce"), max_length=5, choices=Workforce.choices, blank=True)
    everyone_is_worker = models.BooleanField(
        _("all staff are workers"), default=True,
        help_text=_("Everyone on the roster has the worker obligations, whatever the job role."))

    panels = [FieldPanel("organisation"), FieldPanel("risk_class"), FieldPanel("fire_level"),
              FieldPanel("first_aid_group"), FieldPanel("sector"), FieldPanel("workforce"),
              FieldPanel("everyone_is_worker")]

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
        if self.sector:
            found.add(f"sector:{self.sector}")
        if self.workforce:
            found.add(f"staff:{self.workforce}")
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


class TrainingFrame(models.TextChoices):
    """The rules a training was done under (an attestato says it): decides the hours needed for full credit
    (2025 Agreement Part VII point 2; FAQ 2025 n. 16, FAQ 2026 q. 45)."""

    ASR_2011 = "2011", _("Agreements of 21/12/2011 (221/CSR, 223/CSR)")
    ASR_2016 = "2016", _("Agreement of 07/07/2016 (128/CSR, RSPP and ASPP)")
    ASR_2025 = "2025", _("Agreement of 17/04/2025 (59/CSR)")


class TrainingKind(models.TextChoices):
    INITIAL = "initial", _("Initial course")
    REFRESHER = "refresher", _("Refresher")
    MODULE = "module", _("Add-on or specialisation module")


class TrainingModule(models.TextChoices):
    """The part of a course an attestato covers, where the law splits it: the workers' general and specific
    modules (2025 Agreement Part II 2.1), the RSPP/ASPP modules A, B and C (Part II 5)."""

    GENERAL = "general", _("Workers: general module")
    SPECIFIC = "specific", _("Workers: specific module")
    MODULE_A = "A", _("RSPP/ASPP module A")
    MODULE_B = "B", _("RSPP/ASPP module B (common)")
    MODULE_C = "C", _("RSPP module C")


class Employment(models.Model):
    """What mandatory training needs to know about one person's job (all optional): when the employment
    began and when the current job (mansione) began — training is due at those dates, D.Lgs. 81/2008
    art. 37 c. 4 a-b (no 60 days: FAQ 2025 nn. 5, 56; FAQ 2026 qq. 9, 32) — and the risk class of the
    person's own job when the employer's risk assessment sets it apart from the organisation's (2025
    Agreement Part II 2.1.1; FAQ 2025 n. 57; MLPS Interpello n. 1/2025)."""

    person = models.OneToOneField("network.Person", verbose_name=_("person"), on_delete=models.CASCADE,
                                  related_name="employment")
    hired_on = models.DateField(_("employed since"), null=True, blank=True,
                                help_text=_("Start of the employment (or of the use of an agency worker)."))
    job_since = models.DateField(_("in the current job since"), null=True, blank=True,
                                 help_text=_("Start of the current job (change of job or transfer). Empty: the "
                                             "employment's start."))
    risk_class = models.CharField(
        _("risk class of the job"), max_length=10, choices=RiskClass.choices, blank=True,
        help_text=_("Only when the risk assessment puts this job in another class than the organisation's "
                    "(e.g. office work only: low). Empty: the organisation's class."))

    panels = [FieldPanel("person"), FieldPanel("hired_on"), FieldPanel("job_since"), FieldPanel("risk_class")]

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("employment (mandatory training)")
        verbose_name_plural = _("employments (mandatory training)")

    def __str__(self) -> str:
        return str(self.person)

    def clean(self):
        if self.hired_on and self.job_since and self.job_since < self.hired_on:
            raise ValidationError({"job_since": _("The current job cannot start before the employment.")})


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
