from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "academy.evaluation"
    label = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from . import wagtail_hooks  # noqa: F401  (connects the course-operations tab)
