from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "academy.registrations"
    label = "registrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect this app's receivers (signals and the course-operations tab).
        from . import services, wagtail_hooks  # noqa: F401
