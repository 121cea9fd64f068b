"""Wagtail admin: staff keep the competence framework and the requirements as snippets."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Competence, CompetenceArea, ExternalTraining, Requirement


class CompetenceAreaViewSet(SnippetViewSet):
    model = CompetenceArea
    icon = "folder-open-inverse"
    list_display = ["name", "name_en", "sort_order"]


class CompetenceViewSet(SnippetViewSet):
    model = Competence
    icon = "tick-inverse"
    list_display = ["name", "name_en", "area"]
    list_filter = ["area"]
    search_fields = ["name", "name_en"]


class RequirementViewSet(SnippetViewSet):
    model = Requirement
    icon = "warning"
    list_display = ["label", "organisation", "job_role", "renewal_months"]
    list_filter = ["organisation"]


class ExternalTrainingViewSet(SnippetViewSet):
    model = ExternalTraining
    icon = "doc-full"
    list_display = ["title", "person", "date", "hours"]
    search_fields = ["title", "provider"]
    panels = [FieldPanel("person"), FieldPanel("title"), FieldPanel("provider"), FieldPanel("date"),
              FieldPanel("hours"), FieldPanel("competences"), FieldPanel("equivalent_course"),
              FieldPanel("attachment")]


class CompetenceGroup(SnippetViewSetGroup):
    menu_label = "Competences"
    menu_icon = "tick-inverse"
    menu_order = 300
    items = (CompetenceAreaViewSet, CompetenceViewSet, RequirementViewSet, ExternalTrainingViewSet)


register_snippet(CompetenceGroup)
