from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_academy, name="my_academy"),
]
