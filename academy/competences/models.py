"""Competences, requirements and external training: what HR officers need to see who has done what.

The competence framework (areas and competences) is reference data kept by staff in the Wagtail
admin; courses declare which competences they build (``CoursePage.competences``). Requirements say
which course or competence an organisation expects of (a job role among) its staff, and how often
it must be renewed. External training is training done outside the Academy, entered by the
person's HR officer so that the training record is complete. The rules that combine all this live in
``academy.competences.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from academy.core.filetypes import validate_content_matches_extension
from academy.core.jobs import BackgroundJob
from academy.core.storage import PrivateStorage
from academy.courses.models import BilingualName, canonical_course_id
from academy.obligations.models import DeliveryMode, TrainingFrame, TrainingKind, TrainingModule


def private_storage() -> PrivateStorage:
    """Attachments (certificates of external courses) hold personal data: they are stored under
    PRIVATE_ROOT, never under MEDIA_ROOT, and served only by a view that checks who asks."""
    return PrivateStorage()


class CompetenceArea(BilingualName):
    """A family of competences (e.g. management systems, care and education, leadership)."""

    slug = models.SlugField(unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")


class Competence(BilingualName):
    """One competence of the framework (data protection, clinical risk, ...)."""

    area = models.ForeignKey(CompetenceArea, verbose_name=_("area"), on_delete=models.PROTECT,
                             related_name="competences")
    slug = models.SlugField(unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("area"), FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"),
              FieldPanel("description")]

    class Meta:
        ordering = ["area__sort_order", "name"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")


class ExternalTraining(models.Model):
    """Training done elsewhere (outside the Academy), the one record of it, entered by the person's HR
    officer (or staff): towards competences and requirements (``competences``, ``equivalent_course``), a
    legal obligation (``obligation``, counted in ``hours`` by ``delivery_mode`` on the attestato's end
    ``date``) and ECM (``credits`` from an accredited provider's event), one row doing any of these."""

    person = models.ForeignKey("network.Person", verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="external_training")
    title = models.CharField(_("title"), max_length=255)
    provider = models.CharField(_("provider"), max_length=255, blank=True)
    date = models.DateField(_("date (completed on)"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2,
                                validators=[MinValueValidator(0)])
    competences = models.ManyToManyField(Competence, verbose_name=_("competences"), blank=True,
                                         related_name="external_training")
    equivalent_course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("recognised as equivalent to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Optional: an Academy course this training counts as, for requirements."),
    )
    obligation = models.ForeignKey("obligations.Obligation", verbose_name=_("legal obligation"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="external_training",
                                   help_text=_("Mandatory training under the law that this attestato counts towards."))
    delivery_mode = models.CharField(_("delivery mode"), max_length=20, choices=DeliveryMode.choices,
                                     default=DeliveryMode.CLASSROOM)
    attestato_reference = models.CharField(_("attestato number"), max_length=100, blank=True)
    legal_frame = models.CharField(
        _("rules it was done under"), max_length=4, choices=TrainingFrame.choices, blank=True,
        help_text=_("As on the attestato. Empty: decided by its date against the 2025 Agreement's entry into "
                    "force."))
    training_kind = models.CharField(
        _("initial course or refresher"), max_length=10, choices=TrainingKind.choices, blank=True,
        help_text=_("Empty: decided by the order of the trainings."))
    module = models.CharField(
        _("module"), max_length=10, choices=TrainingModule.choices, blank=True,
        help_text=_("When the attestato covers only part of a course: a general module counts only as the "
                    "general module (4 hours) of any workers' course."))
    credits = models.DecimalField(_("ECM credits"), max_digits=5, decimal_places=1, null=True, blank=True,
                                  validators=[MinValueValidator(0)])
    ecm_provider_id = models.CharField(_("ECM provider id"), max_length=30, blank=True)
    ecm_event_id = models.CharField(_("ECM event id"), max_length=30, blank=True)
    attachment = models.FileField(
        _("attachment"), storage=private_storage, upload_to="hr/external/%Y/%m/", blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]), validate_content_matches_extension],
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("external training")
        verbose_name_plural = _("external training")
        indexes = [models.Index(fields=["person", "date"])]
        constraints = [models.UniqueConstraint(
            fields=["person", "ecm_provider_id", "ecm_event_id"], condition=~models.Q(ecm_event_id=""),
            name="one_ecm_event_per_external_training")]

    def __str__(self) -> str:
        return f"{self.person} — {self.title} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if self.equivalent_course_id:
            self.equivalent_course_id = canonical_course_id(self.equivalent_course_id)
        super().save(*args, **kwargs)

    @property
    def is_ecm(self) -> bool:
        return self.credits is not None


class Requirement(models.Model):
    """Training an organisation requires of its staff (or of one job role): a course or any course
    building a competence, once or renewed every ``renewal_months``.

    A requirement of a consortium applies to the staff of its member cooperatives too.
    """

    organisation = models.ForeignKey("network.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="training_requirements")
    job_role = models.CharField(_("job role"), max_length=120, blank=True,
                                help_text=_("Empty: everyone. Otherwise matched without regard to case."))
    course = models.ForeignKey("courses.CoursePage", verbose_name=_("course"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    competence = models.ForeignKey(Competence, verbose_name=_("competence"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="requirements")
    renewal_months = models.PositiveSmallIntegerField(
        _("renew every (months)"), null=True, blank=True, help_text=_("Empty: once is enough."))
    label = models.CharField(_("label"), max_length=200)

    panels = [FieldPanel("label"), FieldPanel("organisation"), FieldPanel("job_role"), FieldPanel("course"),
              FieldPanel("competence"), FieldPanel("renewal_months")]

    class Meta:
        ordering = ["organisation__name", "label"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(course__isnull=False, competence__isnull=True)
                           | models.Q(course__isnull=True, competence__isnull=False)),
                name="requirement_course_xor_competence",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        # Any translation of a course stands for the course itself (sessions and certificates belong
        # to the default-locale page).
        if self.course_id:
            self.course_id = canonical_course_id(self.course_id)
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.course_id) == bool(self.competence_id):
            raise ValidationError(_("Choose either a course or a competence."))

    def applies_to(self, job_role: str) -> bool:
        return not self.job_role or self.job_role.strip().lower() == (job_role or "").strip().lower()




def import_storage() -> PrivateStorage:
    """Uploaded rosters and training lists name people: kept private, and only until their job has run."""
    return PrivateStorage("hr-imports")


class ImportJob(BackgroundJob):
    """A large roster or external-training upload imported in the background (``academy.competences.import_jobs``).
    ``total`` counts the file's rows; while it runs, the rows read so far are in the cache (``import_jobs.progress``)."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Staff roster")
        EXTERNAL = "external", _("External training")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("network.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    file = models.FileField(_("file"), storage=import_storage, upload_to="%Y/%m/", blank=True, max_length=255)
    report = models.JSONField(default=dict, blank=True)  # created, updated, pending, errors [[line, reason]]

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def active(self) -> bool:  # the name the HR job page uses
        return self.is_active
