"""HR area, mounted at /<lang>/hr/."""

from django.urls import path, re_path

from . import views

app_name = "hr"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/external/", views.add_external_training, name="add_external"),
    path("people/<int:person_id>/register/", views.register_person, name="register"),
    path("people/<int:person_id>/employment/", views.set_employment, name="employment"),
    path("external/<int:training_id>/attachment/", views.external_attachment, name="external_attachment"),
    re_path(r"^export/report\.(?P<fmt>csv|xlsx)$", views.export_report, name="export_report"),
    re_path(r"^courses/(?P<course_id>[0-9]+)/register\.(?P<fmt>csv|xlsx)$", views.export_attendance_register,
            name="attendance_register"),
    re_path(r"^import/(?P<kind>roster|external)/$", views.import_view, name="import"),
    path("import/jobs/<int:job_id>/", views.import_job, name="import_job"),
    path("obligations/", views.obligations_settings, name="obligations"),
    path("obligations/<int:obligation_id>/plan/", views.plan_obligation, name="plan"),
    re_path(r"^people/(?P<person_id>[0-9]+)/mandatory/(?P<entry>obligation|ecm)/$", views.add_mandatory_training,
            name="add_mandatory"),
]
