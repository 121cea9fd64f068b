from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "academy.courses"
    label = "courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
