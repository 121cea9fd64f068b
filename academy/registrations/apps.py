from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "academy.registrations"
    label = "registrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import services  # noqa: F401  (connects the session_rescheduled/cancelled receivers)
