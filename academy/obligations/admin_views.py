"""Wagtail admin screens of mandatory training: staff keep the obligations catalogue, the risk
profiles and job-role mappings of organisations, designations, course modules and ECM accreditations
(registered in ``wagtail_hooks``; training done elsewhere is the HR group's "External training")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import StaffChooserViewSet

from .models import (
    CourseEcm,
    CourseModule,
    Designation,
    Employment,
    JobRoleMapping,
    Obligation,
    RiskProfile,
)


class ObligationViewSet(TranslatedExportViewSet, SnippetViewSet):
    chooser_viewset_class = StaffChooserViewSet
    model = Obligation
    icon = "warning"
    list_display = ["title", "role", "risk_classes", "initial_hours", "refresher_hours", "window_months",
                    "active"]
    list_filter = ["role", "unit", "active", "allow_elearning"]
    list_export = ["code", "title", "title_en", "role", "risk_classes", "unit", "initial_hours", "refresher_hours",
                   "window_months", "allow_classroom", "allow_videoconference", "allow_elearning",
                   "legal_reference", "source_url", "notes", "active"]
    search_fields = ["title", "title_en", "code", "legal_reference"]


class RiskProfileViewSet(TranslatedExportViewSet, SnippetViewSet):
    model = RiskProfile
    icon = "site"
    list_display = ["organisation", "risk_class", "fire_level", "first_aid_group"]
    list_filter = ["risk_class", "fire_level", "first_aid_group"]
    list_export = ["organisation", "risk_class", "fire_level", "first_aid_group", "sector", "workforce",
                   "everyone_is_worker"]
    search_fields = ["organisation__name"]


class JobRoleMappingViewSet(TranslatedExportViewSet, SnippetViewSet):
    model = JobRoleMapping
    icon = "group"
    list_display = ["job_role", "role", "organisation"]
    list_filter = ["role"]
    list_export = ["organisation", "job_role", "role"]
    search_fields = ["job_role", "organisation__name"]


class DesignationViewSet(TranslatedExportViewSet, SnippetViewSet):
    chooser_viewset_class = StaffChooserViewSet
    model = Designation
    icon = "user"
    list_display = ["person", "role", "since"]
    list_filter = ["role"]
    list_export = ["person", "role", "since"]
    search_fields = ["person__last_name", "person__first_name"]


class EmploymentViewSet(TranslatedExportViewSet, SnippetViewSet):
    chooser_viewset_class = StaffChooserViewSet
    model = Employment
    icon = "date"
    list_display = ["person", "hired_on", "job_since", "risk_class"]
    list_filter = ["risk_class"]
    list_export = ["person", "hired_on", "job_since", "risk_class"]
    search_fields = ["person__last_name", "person__first_name"]


class CourseModuleViewSet(TranslatedExportViewSet, SnippetViewSet):
    model = CourseModule
    icon = "list-ul"
    list_display = ["course", "obligation", "title", "hours", "delivery_mode"]
    list_filter = ["obligation", "delivery_mode"]
    list_export = ["course", "obligation", "title", "hours", "delivery_mode"]
    search_fields = ["title", "course__title"]


class CourseEcmViewSet(TranslatedExportViewSet, SnippetViewSet):
    model = CourseEcm
    icon = "pick"
    list_display = ["course", "provider_name", "event_id", "credits"]
    list_export = ["course", "provider_name", "provider_id", "event_id", "credits"]
    search_fields = ["provider_name", "event_id", "course__title"]


class ObligationsGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Mandatory training")
    menu_icon = "warning"
    menu_order = 310
    items = (ObligationViewSet, RiskProfileViewSet, JobRoleMappingViewSet, DesignationViewSet,
             EmploymentViewSet, CourseModuleViewSet, CourseEcmViewSet)
