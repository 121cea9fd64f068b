"""My Academy (``my_academy``) and the registration actions (namespace ``registrations``)."""

from django.urls import include, path

from . import views

action_patterns = [
    path("register/<int:course_id>/", views.register, name="register"),
    path("registrations/<int:registration_id>/cancel/", views.cancel, name="cancel"),
    path("registrations/<int:registration_id>/calendar.ics", views.calendar, name="calendar"),
    path("my-data.json", views.my_data, name="my_data"),
    path("erase/", views.erase, name="erase"),
    path("courses/<int:course_id>/registrants/", views.registrants, name="registrants"),
]

urlpatterns = [
    path("", views.my_academy, name="my_academy"),
    path("", include((action_patterns, "registrations"))),
]
