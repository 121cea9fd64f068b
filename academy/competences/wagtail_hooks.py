"""Registers HR's Wagtail admin screens (defined in ``admin_views``), for the Academy office only."""

from __future__ import annotations

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from academy.core.permissions import StaffModelPermissionPolicy

from .admin_views import CompetenceGroup
from .models import Competence, CompetenceArea, ExternalTraining, Requirement

for _model in (CompetenceArea, Competence, Requirement, ExternalTraining):
    register_permission_policy(_model, StaffModelPermissionPolicy(_model))
register_snippet(CompetenceGroup)
