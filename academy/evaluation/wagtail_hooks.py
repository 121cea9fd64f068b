"""Registers the evaluation admin screens (``admin_views``) and the course-operations tab."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from academy.core.permissions import StaffPermissionPolicy
from academy.courses.operations import CourseTab, course_operations_tabs

from . import admin_views
from .models import CourseEvaluation, Invitation, Questionnaire, Response, TestAttempt

for _model in (Questionnaire, CourseEvaluation):
    register_permission_policy(_model, StaffPermissionPolicy(_model, admin_views.EDIT))
for _model in (TestAttempt, Invitation, Response):
    register_permission_policy(_model, StaffPermissionPolicy(_model))


@hooks.register("register_admin_viewset")
def register_evaluation_viewsets():
    return admin_views.EvaluationGroup()


@receiver(course_operations_tabs, dispatch_uid="evaluation.course_tab")
def register_course_tab(sender, **kwargs) -> CourseTab:
    return CourseTab("evaluation", _("Evaluation"), 350, "evaluation/admin/course_tab.html", admin_views.course_tab)
