from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "academy.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from academy.core.second_factor import register_role

        from . import login_ceiling  # noqa: F401  (connects the failed-log-in counter)
        from .models import HROfficer
        from .sso import adapters  # noqa: F401  (connects the sign-in receiver)

        # HR officers see their organisations' staff records, codici fiscali included.
        register_role("hr_officer", lambda user: HROfficer.objects.filter(user=user).exists())
