"""API v1: ``/api/v1/`` (schema at ``schema/``, documentation at ``docs/``)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from .views import catalogue, compliance, external, funding, hr, me, staff

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("catalogue/courses/", catalogue.CourseList.as_view(), name="courses"),
    path("catalogue/courses/<int:course_id>/", catalogue.CourseDetail.as_view(), name="course"),
    path("catalogue/areas/", catalogue.AreaList.as_view(), name="areas"),
    path("me/registrations/", me.MyRegistrations.as_view(), name="my_registrations"),
    path("me/registrations/<int:registration_id>/cancel/", me.CancelRegistration.as_view(), name="cancel"),
    path("me/certificates/", me.MyCertificates.as_view(), name="my_certificates"),
    path("hr/people/", hr.PeopleList.as_view(), name="hr_people"),
    path("hr/people/<int:person_id>/", hr.PersonDetail.as_view(), name="hr_person"),
    path("hr/certificates/", hr.CertificateList.as_view(), name="hr_certificates"),
    path("hr/compliance/", compliance.ComplianceList.as_view(), name="hr_compliance"),
    path("hr/people/<int:person_id>/compliance/", compliance.PersonComplianceDetail.as_view(),
         name="hr_person_compliance"),
    path("hr/external-training/", external.ExternalTrainingList.as_view(), name="hr_external_training"),
    path("staff/courses/<int:course_id>/registrations/", staff.CourseRegistrations.as_view(),
         name="staff_registrations"),
    path("staff/courses/<int:course_id>/attendance/", staff.CourseAttendance.as_view(), name="staff_attendance"),
    path("funding/plans/", funding.PlanList.as_view(), name="funding_plans"),
    path("funding/plans/<int:plan_id>/", funding.PlanRegister.as_view(), name="funding_plan"),
    path("funding/plans/<int:plan_id>/sessions/<int:session_id>/register/", funding.SessionRegisterView.as_view(),
         name="funding_session_register"),
]
