from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "academy.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Apps register their privacy holders and periodic steps beside their data; discover them here
        # so the core never imports the apps.
        from django.core import checks

        from academy.core import metrics, periodic, privacy, tabular
        from academy.core.urls import check_site_url

        checks.register(check_site_url, checks.Tags.compatibility, deploy=True)

        privacy.autodiscover()
        periodic.autodiscover()
        metrics.autodiscover()  # apps' metrics.py offer their gauges (academy.core.metrics)
        tabular.guard_wagtail_exports()
