"""Masterclass pages (multi-session courses for the new generation of cooperative leaders), the
applications staff select from, and the case-study library.

Business rules (who may apply, what a decision does) live in ``masterclass.services``; these models
only store what happened. Trainers' materials are ``academy.materials``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from academy.courses.blocks import BodyBlock
from academy.courses.models import CoursePage


class MasterclassPage(CoursePage):
    """A masterclass: modules over several sessions, online and/or in person, where case studies
    from the network are presented and discussed. People apply; staff select (see services)."""

    learning_outcomes = models.TextField(_("learning outcomes"), blank=True, help_text=_("One per line."))
    faculty_note = RichTextField(_("about the faculty"), blank=True)
    application_note = RichTextField(
        _("selection criteria"), blank=True,
        help_text=_("Shown above the application form: who the masterclass is for and how staff select."),
    )

    parent_page_types = ["cms.ProgrammePage"]
    subpage_types: list[str] = []
    template = "masterclass/masterclass_page.html"
    kind_label = _("masterclass")

    search_fields = CoursePage.search_fields + [
        index.SearchField("learning_outcomes"),
    ]

    edit_handler = TabbedInterface([
        ObjectList(CoursePage.content_panels + [
            InlinePanel("modules", label=_("Modules")),
            FieldPanel("learning_outcomes"),
            FieldPanel("faculty_note"),
        ], heading=_("Content")),
        ObjectList([InlinePanel("sessions", label=_("Sessions"), min_num=1)], heading=_("Sessions")),
        ObjectList(CoursePage.registration_panels + [FieldPanel("application_note")], heading=_("Registration")),
        ObjectList(CoursePage.promote_panels, heading=_("Promote")),
    ])

    class Meta:
        verbose_name = _("masterclass")
        verbose_name_plural = _("masterclasses")

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip(" -•\t")]

    def module_list(self) -> list[MasterclassModule]:
        """Modules as entered on this page, or on the canonical page when a translation has none."""
        modules = list(self.modules.all())
        if not modules and self.canonical.pk != self.pk:
            modules = list(self.canonical.specific.modules.all())
        return modules

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context["case_studies"] = services.case_studies_for_masterclass(self)
        context["application_state"] = services.application_state(request.user, self)
        if "application_form" not in context and context["application_state"].can_apply:
            from .forms import ApplicationForm

            context["application_form"] = ApplicationForm(person=context["application_state"].person)
        return context


class MasterclassModule(Orderable):
    """One module of a masterclass (a theme spanning one or more sessions)."""

    page = ParentalKey(MasterclassPage, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("hours")]

    class Meta(Orderable.Meta):
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """A request to join a masterclass, decided by staff. Acceptance creates the registration through
    ``academy.registrations.services.register`` (the only registration path)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        WAITING = "waiting", _("Waiting list")
        REJECTED = "rejected", _("Rejected")

    OPEN_STATUSES = (Status.SUBMITTED, Status.WAITING)

    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("masterclass"))
    person = models.ForeignKey("network.Person", on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=150)
    organisation = models.ForeignKey("network.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("cooperative"))
    motivation = models.TextField(_("motivation"))
    endorser_name = models.CharField(_("endorsed by (name)"), max_length=150)
    endorser_email = models.EmailField(_("endorsed by (e-mail)"))
    consent_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note to the applicant"), blank=True)
    registration = models.ForeignKey("registrations.Registration", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("registration"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One live application per person per masterclass (rejected ones do not count).
            models.UniqueConstraint(fields=["course", "person"],
                                    condition=models.Q(status__in=["submitted", "waiting", "accepted"]),
                                    name="one_live_application_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.course} ({self.get_status_display()})"


# --- Case-study library ------------------------------------------------------------------------------


class CaseStudyIndexPage(Page):
    """The case-study library: filters by area, sector, territory and masterclass, and text search."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["masterclass.CaseStudyPage"]
    max_count_per_parent = 1
    template = "masterclass/case_study_index_page.html"

    class Meta:
        verbose_name = _("case-study library")

    def get_context(self, request, *args, **kwargs):
        from . import library

        context = super().get_context(request, *args, **kwargs)
        filters = library.LibraryFilters.from_query(request.GET)
        context.update(library.search_library(self.locale, filters, page_number=request.GET.get("page")))
        context["filters"] = filters
        context["facets"] = library.facets(self.locale)
        return context


class CaseStudyPageTag(TaggedItemBase):
    content_object = ParentalKey("masterclass.CaseStudyPage", on_delete=models.CASCADE,
                                 related_name="tagged_items")


class CaseStudyPage(Page):
    """A case study from the network, presented in one or more masterclasses."""

    class Sector(models.TextChoices):
        CHILDHOOD = "childhood", _("Childhood and education")
        ELDERLY = "elderly", _("Elderly people")
        DISABILITY = "disability", _("Disability")
        WORK_INTEGRATION = "work_integration", _("Work integration")
        CULTURE = "culture", _("Culture")
        HEALTH = "health", _("Health and social care")
        DIGITAL = "digital", _("Digital")
        ENERGY = "energy", _("Energy")
        OTHER = "other", _("Other")

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    cooperatives = ParentalManyToManyField("network.Organisation", blank=True, related_name="case_studies",
                                           verbose_name=_("cooperatives"))
    territory = models.CharField(_("territory"), max_length=120, blank=True, db_index=True,
                                 help_text=_("City or area, e.g. “Napoli” or “Provincia di Cremona”."))
    area = models.ForeignKey("courses.ThematicArea", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="case_studies", verbose_name=_("thematic area"))
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, default=Sector.OTHER)
    challenge = RichTextField(_("challenge"), blank=True)
    approach = RichTextField(_("approach"), blank=True)
    results = RichTextField(_("results and impact"), blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True, verbose_name=_("story"))
    masterclasses = ParentalManyToManyField(MasterclassPage, blank=True, related_name="case_studies",
                                            verbose_name=_("presented in masterclasses"))
    tags = ClusterTaggableManager(through=CaseStudyPageTag, blank=True)

    parent_page_types = ["masterclass.CaseStudyIndexPage"]
    subpage_types: list[str] = []
    template = "masterclass/case_study_page.html"

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("territory"),
        index.SearchField("challenge"),
        index.SearchField("approach"),
        index.SearchField("results"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("locale_id"),
        index.FilterField("sector"),
        index.FilterField("territory"),
        index.FilterField("area_id"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([
            FieldPanel("cooperatives"), FieldPanel("territory"), FieldPanel("area"), FieldPanel("sector"),
        ], heading=_("Where and what")),
        FieldPanel("challenge"),
        FieldPanel("approach"),
        FieldPanel("results"),
        InlinePanel("figures", label=_("Figures")),
        FieldPanel("body"),
        FieldPanel("masterclasses"),
        FieldPanel("tags"),
    ]

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    @property
    def facts(self) -> list[str]:
        """Sector, area and territory as shown beside the title: only those that have a value, so that a
        list joined with " · " never shows an empty separator."""
        parts = [self.get_sector_display(), self.area.display_name if self.area_id else "", self.territory]
        return [str(p).strip() for p in parts if p and str(p).strip()]


class CaseStudyFigure(Orderable):
    """A figure of the results (e.g. “4” — “cities with a welfare platform”)."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="figures")
    value = models.CharField(_("figure"), max_length=40)
    label = models.CharField(_("what it measures"), max_length=200)

    panels = [FieldPanel("value"), FieldPanel("label")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"
