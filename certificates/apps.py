from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from academy.evaluation.signals import test_passed

        from .tasks import on_test_passed

        # A participant who passes a required learning test gets the certificate without waiting for staff.
        test_passed.connect(on_test_passed, dispatch_uid="certificates.issue_after_test")
