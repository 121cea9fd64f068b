from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "academy.obligations"
    label = "obligations"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Mandatory training"

    def ready(self) -> None:
        from academy.courses.checks import register_course_check

        from . import signals  # noqa: F401  (connects the receivers)
        from .course_rules import agreement_course_problems

        register_course_check(agreement_course_problems)
