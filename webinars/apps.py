from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    name = "webinars"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect this app's receivers (signals and the course-operations tab).
        from . import signals, wagtail_hooks  # noqa: F401
