from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "academy.obligations"
    label = "obligations"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Mandatory training"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
