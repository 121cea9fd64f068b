"""Staff screens of evaluation in the Wagtail admin: questionnaires, per-course settings with the learning
test, and the course-operations tab (figures and links to the results page)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from academy.core.exports import TranslatedExportViewSet
from academy.core.permissions import StaffPermissionPolicy

from . import services
from .models import CourseEvaluation, Questionnaire, TestAttempt

EDIT = frozenset({"add", "change", "delete", "view", "export"})


class QuestionnaireViewSet(TranslatedExportViewSet, ModelViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = gettext_lazy("Questionnaires")
    url_prefix = "academy/evaluation/questionnaires"
    url_namespace = "evaluation_questionnaires"
    copy_view_enabled = False
    list_display = ["title_it", "title_en", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["title_it", "title_en"]
    list_export = ["pk", "title_it", "title_en", "slug", "is_default"]
    export_filename = "questionnaires"

    @property
    def permission_policy(self):
        return StaffPermissionPolicy(self.model, EDIT)


class CourseEvaluationViewSet(TranslatedExportViewSet, ModelViewSet):
    model = CourseEvaluation
    icon = "tasks"
    menu_label = gettext_lazy("Course evaluation and tests")
    url_prefix = "academy/evaluation/courses"
    url_namespace = "evaluation_courses"
    copy_view_enabled = False
    list_display = ["course", "questionnaire", "test_required", "pass_mark", "max_attempts", "anonymity_threshold"]
    list_filter = ["test_required", "survey_enabled"]
    search_fields = ["course__title"]
    list_export = ["pk", "course.title", "questionnaire", "survey_enabled", "test_required", "pass_mark",
                   "max_attempts", "anonymity_threshold"]
    export_filename = "course-evaluations"

    @property
    def permission_policy(self):
        return StaffPermissionPolicy(self.model, EDIT)

    def get_queryset(self, request):
        return CourseEvaluation.objects.select_related("course", "questionnaire")


class TestAttemptViewSet(TranslatedExportViewSet, ModelViewSet):
    """Who took which test with what score (read-only: attempts are made by the participants)."""

    model = TestAttempt
    icon = "doc-full"
    menu_label = gettext_lazy("Test attempts")
    url_prefix = "academy/evaluation/attempts"
    url_namespace = "evaluation_attempts"
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["passed"]
    list_display = ["person", "course", "submitted_at", "correct", "total", "passed"]
    list_filter = ["course", "passed"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "course__title"]
    list_export = ["pk", "course.title", "person.first_name", "person.last_name", "person.email", "started_at",
                   "submitted_at", "correct", "total", "pass_mark", "passed"]
    export_filename = "test-attempts"

    @property
    def permission_policy(self):
        return StaffPermissionPolicy(self.model)

    def get_queryset(self, request):
        return TestAttempt.objects.select_related("course", "person")


class EvaluationGroup(ViewSetGroup):
    menu_label = gettext_lazy("Evaluation")
    menu_icon = "form"
    menu_order = 270
    items = (QuestionnaireViewSet, CourseEvaluationViewSet, TestAttemptViewSet)


def course_tab(request, course) -> dict:
    return {"results": services.course_results(course), "evaluation": services.evaluation_of(course),
            "has_test": services.has_test(course)}
