from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "academy.evaluation"
    label = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Evaluation"
