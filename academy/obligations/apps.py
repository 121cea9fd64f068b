from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "academy.obligations"
    label = "obligations"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Mandatory training"
