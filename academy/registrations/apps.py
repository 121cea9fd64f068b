from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "academy.registrations"
    label = "registrations"
    default_auto_field = "django.db.models.BigAutoField"
