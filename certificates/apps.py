from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect this app's receivers: a participant who passes a required learning test gets the
        # certificate without waiting for staff (tasks), and the course-operations tab.
        from . import tasks, wagtail_hooks  # noqa: F401
