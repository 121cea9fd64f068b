"""Funded training (namespace ``funding``): downloads for staff and the responsible person, the inspector's pages."""

from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("plans/<int:plan_id>/", views.plan_page, name="plan"),
    path("plans/<int:plan_id>/sessions/<int:session_id>/register.<str:fmt>", views.session_register_file,
         name="session_register"),
    path("plans/<int:plan_id>/summary.<str:fmt>", views.plan_summary_file, name="plan_summary"),
    path("plans/<int:plan_id>/declaration.pdf", views.declaration_file, name="declaration"),
    path("inspector/", views.inspector_home, name="inspector_home"),
    path("inspector/sessions/<int:session_id>/", views.inspector_session, name="inspector_session"),
    path("inspector/sessions/<int:session_id>/register.pdf", views.inspector_register, name="inspector_register"),
]
