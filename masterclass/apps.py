from django.apps import AppConfig


class MasterclassConfig(AppConfig):
    name = "masterclass"
    default_auto_field = "django.db.models.BigAutoField"
