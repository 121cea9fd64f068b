from django.apps import AppConfig


class CompetencesConfig(AppConfig):
    name = "academy.competences"
    label = "competences"
    default_auto_field = "django.db.models.BigAutoField"
