from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "academy.attendance"
    label = "attendance"
    default_auto_field = "django.db.models.BigAutoField"
