"""Evaluation (namespace ``evaluation``): questionnaire and learning test for participants, results for
trainers and staff."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("courses/<int:course_id>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("courses/<int:course_id>/test/", views.learning_test, name="test"),
    path("courses/<int:course_id>/results/", views.results, name="results"),
    path("courses/<int:course_id>/results.xlsx", views.results_export, name="results_export"),
    path("results/", views.trainer_results, name="trainer_results"),
]
