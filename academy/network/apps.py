from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "academy.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import login_ceiling  # noqa: F401  (connects the failed-log-in counter)
