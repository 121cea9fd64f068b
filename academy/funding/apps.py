from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "academy.funding"
    label = "funding"
    verbose_name = _("Funded training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from academy.core.second_factor import register_role

        from . import retention
        from .models import InspectorAccess

        retention.register()
        # Inspectors see the live registers of a plan's sessions (names of every participant).
        register_role("inspector", lambda user: InspectorAccess.objects.filter(user=user).exists())
