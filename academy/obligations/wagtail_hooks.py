"""Registers the mandatory-training admin screens (defined in ``admin_views``), for staff only."""

from __future__ import annotations

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from academy.core.permissions import StaffModelPermissionPolicy

from .admin_views import ObligationsGroup
from .models import (
    CourseEcm,
    CourseModule,
    Designation,
    Employment,
    JobRoleMapping,
    Obligation,
    RiskProfile,
)

for _model in (Obligation, RiskProfile, JobRoleMapping, Designation, Employment, CourseModule, CourseEcm):
    register_permission_policy(_model, StaffModelPermissionPolicy(_model))
register_snippet(ObligationsGroup)
