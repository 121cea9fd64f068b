from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "academy.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            login_ceiling,  # noqa: F401  (connects the failed-log-in counter)
            signals,  # noqa: F401  (connects the receivers)
        )
        from .sso import adapters  # noqa: F401  (connects the sign-in receiver)
