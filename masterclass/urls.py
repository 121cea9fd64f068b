"""Site URLs of the masterclass app (mounted inside the language prefix)."""

from django.urls import path

from . import views

app_name = "masterclass"

urlpatterns = [
    path("masterclass/<int:page_id>/apply/", views.apply, name="apply"),
]
