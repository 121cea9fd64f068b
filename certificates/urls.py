"""Certificates (namespace ``certificates``): public verification, downloads, Open Badges, staff ZIP."""

from django.urls import path

from . import admin_views, views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("<str:code>/pdf/", views.pdf, name="pdf"),
    path("<str:code>/badge.json", views.badge_json, name="badge_json"),
    path("<str:code>/badge.jwt", views.badge_jwt, name="badge_jwt"),
    path("courses/<int:course_id>/certificates.zip", admin_views.course_zip, name="course_zip"),
]
