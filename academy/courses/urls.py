from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("course/<int:page_id>.ics", views.course_ics, name="course"),
    path("programme.ics", views.programme_ics, name="programme"),
    path("area/<slug:area>.ics", views.programme_ics, name="area"),
]
