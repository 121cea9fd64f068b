from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "academy.attendance"
    label = "attendance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import wagtail_hooks  # noqa: F401  (connects the course-operations tab)
