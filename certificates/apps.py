from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A participant who passes a required learning test gets the certificate without waiting for staff.
        from . import tasks  # noqa: F401  (connects the receiver)
