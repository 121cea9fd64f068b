"""Wagtail admin screens of HR: staff keep the competence framework, the requirements and external
training as snippets (registered in ``wagtail_hooks``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import StaffChooserViewSet

from .models import Competence, CompetenceArea, ExternalTraining, Requirement


class CompetenceAreaViewSet(TranslatedExportViewSet, SnippetViewSet):
    model = CompetenceArea
    icon = "folder-open-inverse"
    list_display = ["name", "name_en", "sort_order"]
    list_export = ["name", "name_en", "sort_order"]
    search_fields = ["name", "name_en"]


class CompetenceViewSet(TranslatedExportViewSet, SnippetViewSet):
    model = Competence
    icon = "tick-inverse"
    list_display = ["name", "name_en", "area"]
    list_filter = ["area"]
    list_export = ["name", "name_en", "area", "slug"]
    search_fields = ["name", "name_en"]


class RequirementViewSet(TranslatedExportViewSet, SnippetViewSet):
    model = Requirement
    icon = "warning"
    list_display = ["label", "organisation", "job_role", "renewal_months"]
    list_filter = ["organisation"]
    list_export = ["label", "organisation", "course", "competence", "job_role", "renewal_months"]
    search_fields = ["label", "job_role"]


class ExternalTrainingViewSet(TranslatedExportViewSet, SnippetViewSet):
    chooser_viewset_class = StaffChooserViewSet
    model = ExternalTraining
    icon = "doc-full"
    list_display = ["title", "person", "date", "hours", "obligation", "credits"]
    list_filter = ["date", "obligation", "delivery_mode"]
    list_export = ["title", "provider", "person", "date", "hours", "obligation", "delivery_mode",
                   "attestato_reference", "legal_frame", "training_kind", "module", "credits", "ecm_provider_id", "ecm_event_id"]
    search_fields = ["title", "provider", "person__last_name"]
    panels = [FieldPanel("person"), FieldPanel("title"), FieldPanel("provider"), FieldPanel("date"),
              FieldPanel("hours"), FieldPanel("competences"), FieldPanel("equivalent_course"),
              FieldPanel("obligation"), FieldPanel("delivery_mode"), FieldPanel("attestato_reference"),
              FieldPanel("legal_frame"), FieldPanel("training_kind"), FieldPanel("module"),
              FieldPanel("credits"), FieldPanel("ecm_provider_id"), FieldPanel("ecm_event_id"),
              FieldPanel("attachment")]


class CompetenceGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Competences")
    menu_icon = "tick-inverse"
    menu_order = 300
    items = (CompetenceAreaViewSet, CompetenceViewSet, RequirementViewSet, ExternalTrainingViewSet)
