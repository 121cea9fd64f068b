from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "academy.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (webhook events from audit rows)
