"""Site URLs of trainers' materials (mounted inside the language prefix, at the site root)."""

from django.urls import path

from . import views

app_name = "materials"

urlpatterns = [
    path("materials/<int:pk>/", views.download_material, name="material"),
    path("my-academy/materials/", views.my_materials, name="my_materials"),
    path("my-academy/trainer/", views.trainer_home, name="trainer_home"),
    path("my-academy/trainer/sessions/<int:session_id>/materials/", views.upload_material, name="upload"),
    path("my-academy/trainer/materials/<int:pk>/delete/", views.delete_material, name="delete_material"),
]
