"""Masterclass pages: multi-session courses for the new generation of cooperative leaders."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField

from academy.courses.models import CoursePage


class MasterclassPage(CoursePage):
    """A masterclass: modules over several sessions, online and/or in person, where case studies
    from the network are presented and discussed."""

    learning_outcomes = models.TextField(_("learning outcomes"), blank=True, help_text=_("One per line."))
    faculty_note = RichTextField(_("about the faculty"), blank=True)

    parent_page_types = ["cms.ProgrammePage"]
    subpage_types: list[str] = []
    template = "masterclass/masterclass_page.html"
    kind_label = _("masterclass")

    edit_handler = TabbedInterface([
        ObjectList(CoursePage.content_panels + [FieldPanel("learning_outcomes"), FieldPanel("faculty_note")],
                   heading=_("Content")),
        ObjectList([InlinePanel("sessions", label=_("Sessions"), min_num=1)], heading=_("Sessions")),
        ObjectList(CoursePage.registration_panels, heading=_("Registration")),
        ObjectList(CoursePage.promote_panels, heading=_("Promote")),
    ])

    class Meta:
        verbose_name = _("masterclass")
        verbose_name_plural = _("masterclasses")

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip(" -•\t")]
