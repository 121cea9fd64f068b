"""What one registers for: a course (webinar or masterclass) published as a Wagtail page, and its
dated sessions.

``CoursePage`` is the one notion of a registrable course; ``WebinarPage`` and ``MasterclassPage``
extend it. Pages are translated Wagtail-style (one tree per locale), but a course is one thing:
sessions, capacity and registrations belong to the page in the default locale (Italian), which
``CoursePage.canonical`` returns. Sessions are therefore excluded from translation copies.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class BilingualName(models.Model):
    """Small reference data (areas, competences) kept in both languages on one row, so every
    translation of a page points at the same area and filters stay language-independent."""

    name = models.CharField(_("name (Italian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


@register_snippet
class ThematicArea(BilingualName):
    """One of the network's thematic areas (education, health and social care, digital, ...)."""

    slug = models.SlugField(unique=True)
    description = models.TextField(_("description (Italian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("description_en"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")

    @property
    def display_description(self) -> str:
        if translation.get_language() == "en" and self.description_en:
            return self.description_en
        return self.description


@register_snippet
class Trainer(index.Indexed, models.Model):
    """A trainer or speaker, reusable across courses. Linked to an account for the trainers' area."""

    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("e.g. “avvocato esperto di sistemi privacy”"))
    bio = models.TextField(_("bio (Italian)"), blank=True)
    bio_en = models.TextField(_("bio (English)"), blank=True)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="trainer")

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("bio"), FieldPanel("bio_en"),
              FieldPanel("photo"), FieldPanel("user")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.name

    @property
    def display_bio(self) -> str:
        if translation.get_language() == "en" and self.bio_en:
            return self.bio_en
        return self.bio


class RegistrationState(models.TextChoices):
    OPEN = "open", _("Registration is open.")
    UNPUBLISHED = "unpublished", _("Registration for this course is closed.")
    PAST = "past", _("This course has already taken place.")
    DEADLINE_PASSED = "deadline", _("The registration deadline has passed.")


def canonical_course(page) -> CoursePage:
    """The default-locale course page of ``page`` (a course page of either language, specific or not, or
    a plain ``Page`` row of one): the one lookup every service uses (see ``CoursePage.canonical``)."""
    if not isinstance(page, CoursePage):
        page = page.specific
    return page.canonical


def canonical_course_id(course_id: int) -> int:
    """The id of the default-locale page of the course ``course_id`` names (any translation's id will do):
    rows that belong to a course, not to a language, store this one (see ``CoursePage.canonical``)."""
    page = CoursePage.objects.filter(pk=course_id).first()
    return canonical_course(page).pk if page else course_id


def schedule_sequence_of(course=None) -> Coalesce:
    """``CoursePage.schedule_sequence`` as a subquery expression, for reading it together with a course
    (``course``: the expression of its id, by default the outer query's primary key)."""
    return Coalesce(models.Subquery(
        Session.objects.filter(course_id=course if course is not None else models.OuterRef("pk"))
        .order_by().values("course_id").annotate(n=models.Sum("sequence")).values("n"),
        output_field=models.IntegerField()), 0)


class CoursePage(Page):
    """A registrable course. Never created directly: use a webinar or a masterclass."""

    class RegistrationMode(models.TextChoices):
        OPEN = "open", _("First come, first served")
        APPROVAL = "approval", _("Staff approve each registration")
        APPLICATION = "application", _("Application and selection")

    abstract = RichTextField(_("abstract"), blank=True)
    topics = models.TextField(_("topics"), blank=True, help_text=_("One per line."))
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    trainers = ParentalManyToManyField(Trainer, verbose_name=_("trainers"), blank=True, related_name="courses")
    # The tutor of a distance course must be a person other than its trainers (FAQ interregionali ASR 2025
    # nn. 59-60); printed on the attestato where there is one.
    tutor = models.ForeignKey(Trainer, verbose_name=_("tutor"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="tutored_courses",
                              help_text=_("Required for distance courses under the State-Regions Agreement: "
                                          "not one of the trainers."))
    areas = ParentalManyToManyField(ThematicArea, verbose_name=_("thematic areas"), blank=True,
                                    related_name="courses")
    competences = ParentalManyToManyField("competences.Competence", verbose_name=_("competences"), blank=True,
                                          related_name="courses")
    hours = models.DecimalField(_("hours for the certificate"), max_digits=5, decimal_places=2,
                                default=Decimal("1.5"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Seats. Empty means no limit."))
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    registration_mode = models.CharField(_("registration"), max_length=20, choices=RegistrationMode.choices,
                                         default=RegistrationMode.OPEN)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance required for the certificate (%)"), default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    hours_rounding = models.DecimalField(
        _("round certified hours down to"), max_digits=4, decimal_places=2, default=Decimal("0.5"),
        help_text=_("e.g. 0.5 rounds 1h20 down to 1h; 0.25 to a quarter of an hour."),
    )
    programme_document = models.ForeignKey("wagtaildocs.Document", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+",
                                           verbose_name=_("programme (document)"))
    contact_email = models.EmailField(_("contact for information"), blank=True)
    # Denormalised from the sessions so the catalogue filters and sorts without joins.
    first_starts_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    last_ends_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    # A course's schedule lives on its default-locale page; translations show that one.
    exclude_fields_in_copy = ["sessions"]
    is_creatable = False
    kind_label = _("course")

    search_fields = Page.search_fields + [
        index.SearchField("abstract"),
        index.SearchField("topics"),
        index.SearchField("audience"),
        index.FilterField("first_starts_at"),
        index.FilterField("locale_id"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("abstract"),
        FieldPanel("topics"),
        FieldPanel("audience"),
        FieldPanel("areas"),
        FieldPanel("competences"),
        FieldPanel("trainers"),
        FieldPanel("tutor"),
        FieldPanel("programme_document"),
        FieldPanel("contact_email"),
    ]
    registration_panels = [
        MultiFieldPanel([
            FieldPanel("registration_mode"),
            FieldPanel("capacity"),
            FieldPanel("registration_deadline"),
        ], heading=_("Registration")),
        MultiFieldPanel([
            FieldPanel("hours"),
            FieldPanel("attendance_threshold"),
            FieldPanel("hours_rounding"),
        ], heading=_("Certificate")),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        from .checks import course_problems

        problems = course_problems(self)
        if problems:
            raise ValidationError(problems)

    # --- one course, whatever the language ------------------------------------------------------

    @cached_property
    def canonical(self) -> CoursePage:
        """The default-locale page that owns sessions and registrations."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        source = CoursePage.objects.filter(translation_key=self.translation_key, locale=default).first()
        return source or self

    @property
    def kind(self) -> str:
        return self.specific_class._meta.model_name.removesuffix("page")

    @property
    def topic_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.topics.splitlines() if line.strip(" -•\t")]

    def scheduled_sessions(self) -> list[Session]:
        """Sessions of this course in time order (not cancelled), from the canonical page."""
        prefetched = getattr(self, "_prefetched_sessions", None)
        if prefetched is not None:
            return prefetched
        return list(self.canonical.sessions.filter(cancelled=False).order_by("starts_at"))

    @property
    def planned_minutes(self) -> int:
        return sum(s.planned_minutes for s in self.scheduled_sessions())

    def is_over(self, now: datetime.datetime | None = None) -> bool:
        """The course has ended: from the end of its last session on (like ``Session.has_ended``). The one
        rule for registration, My Academy, evaluation and certificates."""
        return bool(self.last_ends_at and self.last_ends_at <= (now or timezone.now()))

    @property
    def is_past(self) -> bool:
        return self.is_over()

    def registration_state(self, now: datetime.datetime | None = None) -> RegistrationState:
        """Whether people may register at ``now``, and if not why: the one rule for the course page, the
        registration service and applications. The deadline itself is still open; the end of the last
        session is not. Staff and accepted applications may pass a deadline (the service decides)."""
        now = now or timezone.now()
        if not self.live:
            return RegistrationState.UNPUBLISHED
        if self.is_over(now):
            return RegistrationState.PAST
        if self.registration_deadline and now > self.registration_deadline:
            return RegistrationState.DEADLINE_PASSED
        return RegistrationState.OPEN

    def is_registration_open(self, now: datetime.datetime | None = None) -> bool:
        return self.registration_state(now) == RegistrationState.OPEN

    @property
    def registration_open(self) -> bool:
        return self.is_registration_open()

    @cached_property
    def schedule_sequence(self) -> int:
        """The calendar SEQUENCE of the whole schedule (e-mail keys carry it): the sum over all sessions,
        cancelled ones included, so it only ever grows (moving or cancelling a session bumps it).
        The formula is ``schedule_sequence_of()``; a query may load it with the page by annotating it."""
        return (CoursePage.objects.filter(pk=self.canonical.pk).annotate(n=schedule_sequence_of())
                .values_list("n", flat=True).get())

    def refresh_schedule(self) -> None:
        """Copy first start / last end from the sessions onto this page and its translations."""
        sessions = list(self.canonical.sessions.filter(cancelled=False).values_list("starts_at", "ends_at"))
        first = min((s for s, _e in sessions), default=None)
        last = max((e for _s, e in sessions), default=None)
        CoursePage.objects.filter(translation_key=self.translation_key).update(
            first_starts_at=first, last_ends_at=last
        )
        self.first_starts_at, self.last_ends_at = first, last

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = self.scheduled_sessions()
        return context


class Session(Orderable, ClusterableModel):
    """One dated occurrence of a course: online on Teams, in person at a venue, or both."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online (Microsoft Teams)")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("In person and online")

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.ONLINE)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # RFC 5545 SEQUENCE of this session's calendar entries; bumped whenever its time changes.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    panels = [FieldPanel("title"), FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("mode"),
              FieldPanel("venue"), FieldPanel("address"), FieldPanel("cancelled")]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.course.title} — {start:%d/%m/%Y %H:%M}"

    @property
    def planned_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID)

    @property
    def location_text(self) -> str:
        parts = [p for p in (self.venue, self.address) if p]
        if self.is_online:
            parts.append("Microsoft Teams")
        return ", ".join(parts)

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    def save(self, *args, **kwargs):
        """Bump SEQUENCE when the time changes, and tell listeners once the change is committed."""
        from .signals import announce, session_cancelled, session_rescheduled

        previous = (Session.objects.filter(pk=self.pk).values("starts_at", "ends_at", "cancelled").first()
                    if self.pk else None)
        moved = bool(previous) and (previous["starts_at"], previous["ends_at"]) != (self.starts_at, self.ends_at)
        cancelled_now = bool(previous) and self.cancelled and not previous["cancelled"]
        if moved or cancelled_now:
            self.sequence += 1
        super().save(*args, **kwargs)
        if moved and not self.cancelled:
            announce(session_rescheduled, self)
        if cancelled_now:
            announce(session_cancelled, self)

    def ical_uid(self) -> str:
        """Stable across edits and languages: the same calendar entry is updated, never duplicated."""
        return f"session-{self.pk}@academy"


def session_panels() -> InlinePanel:
    return InlinePanel("sessions", label=_("Sessions"), min_num=1)


def rome_now() -> datetime.datetime:
    return timezone.localtime(timezone.now())
