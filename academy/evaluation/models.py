"""Questionnaires, per-course evaluation settings, anonymous answers and learning-test attempts.

Anonymity is a property of the schema, not of the views: ``Invitation`` knows *that* a person answered
(a boolean, no time), ``Response``/``Answer`` hold *what* was answered and have no relation to a person,
a registration or a user, random primary keys (no insertion order to line up with the invitations) and
only the date of submission.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

DEFAULT_PASS_MARK = 75
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_ANONYMITY_THRESHOLD = 5


def _choices_in_language(choices_it: str, choices_en: str) -> list[str]:
    """Choices in the current language (the Italian ones where the English list is shorter)."""
    it, en = _lines(choices_it), _lines(choices_en)
    if (translation.get_language() or "it").startswith("en") and len(en) == len(it):
        return en
    return it


def _in_language(it: str, en: str) -> str:
    """The English text on English pages when there is one, the Italian one otherwise."""
    return en if (translation.get_language() or "it").startswith("en") and en else it


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Questionnaire(ClusterableModel):
    """A satisfaction questionnaire, edited by staff; one of them is the default for every course."""

    title_it = models.CharField(_("title (Italian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_it = models.TextField(_("introduction (Italian)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    is_default = models.BooleanField(_("default questionnaire"), default=False,
                                     help_text=_("Used by every course that does not choose its own."))
    slug = models.SlugField(_("code"), max_length=80, unique=True)

    panels = [
        MultiFieldPanel([FieldPanel("title_it"), FieldPanel("title_en"), FieldPanel("slug"),
                         FieldPanel("is_default")], heading=_("Questionnaire")),
        FieldPanel("intro_it"),
        FieldPanel("intro_en"),
        InlinePanel("questions", heading=_("Questions"), label=_("Question")),
    ]

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-is_default", "title_it"]
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                               name="evaluation_one_default_questionnaire")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self.title_it, self.title_en)

    @property
    def intro(self) -> str:
        return _in_language(self.intro_it, self.intro_en)


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1–5")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    sort_order = models.PositiveIntegerField(default=0, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RATING)
    text_it = models.CharField(_("question (Italian)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    choices_it = models.TextField(_("choices (Italian)"), blank=True, help_text=_("One per line (choice kinds only)."))
    choices_en = models.TextField(_("choices (English)"), blank=True, help_text=_("One per line, same order."))
    required = models.BooleanField(_("required"), default=True)

    panels = [FieldPanel("kind"), FieldPanel("text_it"), FieldPanel("text_en"), FieldPanel("choices_it"),
              FieldPanel("choices_en"), FieldPanel("required")]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self.text_it, self.text_en)

    @property
    def choices(self) -> list[str]:
        return _choices_in_language(self.choices_it, self.choices_en)


class CourseEvaluation(ClusterableModel):
    """A course's evaluation settings (canonical page) and its learning test; without a row a course uses
    the default questionnaire and has no test."""

    course = models.OneToOneField("courses.CoursePage", on_delete=models.CASCADE, related_name="evaluation",
                                  verbose_name=_("course"))
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="courses", verbose_name=_("questionnaire"),
                                      help_text=_("Empty: the default questionnaire."))
    survey_enabled = models.BooleanField(_("satisfaction questionnaire"), default=True)
    test_required = models.BooleanField(
        _("learning test required for the certificate"), default=False)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=DEFAULT_PASS_MARK, validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=DEFAULT_MAX_ATTEMPTS, validators=[MinValueValidator(1)])
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("answers needed before results are shown"), default=DEFAULT_ANONYMITY_THRESHOLD,
        validators=[MinValueValidator(1)])

    panels = [
        FieldPanel("course"),
        MultiFieldPanel([FieldPanel("survey_enabled"), FieldPanel("questionnaire"),
                         FieldPanel("anonymity_threshold")], heading=_("Satisfaction questionnaire")),
        MultiFieldPanel([FieldPanel("test_required"), FieldPanel("pass_mark"), FieldPanel("max_attempts")],
                        heading=_("Learning test")),
        InlinePanel("test_questions", heading=_("Test questions"), label=_("Test question")),
    ]

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")

    def __str__(self) -> str:
        return str(self.course)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.course_id and self.course.canonical.pk != self.course.pk:
            raise ValidationError({"course": _("Choose the Italian page of the course: it owns the course.")})


class TestQuestion(models.Model):
    """A multiple-choice question of a course's learning test with exactly one correct choice."""

    evaluation = ParentalKey(CourseEvaluation, on_delete=models.CASCADE, related_name="test_questions")
    sort_order = models.PositiveIntegerField(default=0, editable=False)
    text_it = models.CharField(_("question (Italian)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    choices_it = models.TextField(_("choices (Italian)"), help_text=_("One per line."))
    choices_en = models.TextField(_("choices (English)"), blank=True, help_text=_("One per line, same order."))
    correct = models.PositiveSmallIntegerField(_("correct choice (1 = first line)"), default=1,
                                               validators=[MinValueValidator(1)])

    panels = [FieldPanel("text_it"), FieldPanel("text_en"), FieldPanel("choices_it"), FieldPanel("choices_en"),
              FieldPanel("correct")]

    __test__ = False  # not a pytest class

    class Meta:
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self.text_it, self.text_en)

    @property
    def choices(self) -> list[str]:
        return _choices_in_language(self.choices_it, self.choices_en)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        count = len(_lines(self.choices_it))
        if count < 2:
            raise ValidationError({"choices_it": _("A test question needs at least two choices.")})
        if self.correct > count:
            raise ValidationError({"correct": _("There are only %(n)s choices.") % {"n": count}})


class Invitation(models.Model):
    """A person asked to evaluate a course: when they were invited and reminded, and *whether* (never
    when) they answered the questionnaire."""

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="evaluation_invitations")
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="evaluation_one_invitation")]

    def __str__(self) -> str:
        return f"{self.person} — {self.course}"


class Response(models.Model):
    """One anonymous questionnaire submission: no person, no account, no time of day, random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    submitted_on = models.DateField()
    # Results are computed from published responses only, published in batches of at least the course's
    # anonymity threshold (``services.answering.publish_due``): one more answer never changes them.
    published = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")

    def __str__(self) -> str:
        return f"{self.course} — {self.submitted_on}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)  # indexes into question.choices (0-based)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return str(self.question)


class TestAttempt(models.Model):
    """One person's attempt at a course's learning test, with the shuffled order they were shown."""

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="test_attempts")
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    layout = models.JSONField(default=list)  # [[question_id, [choice index shown first, ...]], ...]
    answers = models.JSONField(default=dict, blank=True)  # {question_id: chosen choice index (0-based)}
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    pass_mark = models.PositiveSmallIntegerField(default=DEFAULT_PASS_MARK)
    passed = models.BooleanField(default=False)

    __test__ = False  # not a pytest class

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        ordering = ["course", "person", "started_at"]
        indexes = [models.Index(fields=["course", "person"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.course} ({self.correct}/{self.total})"

    @property
    def score_percent(self) -> int:
        return (self.correct * 100) // self.total if self.total else 0


__all__ = ["Answer", "CourseEvaluation", "Invitation", "Question", "Questionnaire", "Response", "TestAttempt",
           "TestQuestion"]
