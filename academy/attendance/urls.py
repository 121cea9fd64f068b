"""Attendance (namespace ``attendance``): check-in pages for trainers and staff."""

from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("sessions/<int:session_id>/checkin/", views.session_checkin, name="session_checkin"),
    path("checkin/<str:token>/", views.checkin_token, name="checkin_token"),
]
