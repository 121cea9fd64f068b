"""API v1: ``/api/v1/`` (schema at ``schema/``, documentation at ``docs/``)."""

from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from .views import catalogue, compliance, external, funding, hr, me, staff

app_name = "api"


class IdConverter:
    """A database id: at most 18 digits, so a longer number is an unknown path (404), not an integer the
    database cannot hold (an error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("catalogue/courses/", catalogue.CourseList.as_view(), name="courses"),
    path("catalogue/courses/<id:course_id>/", catalogue.CourseDetail.as_view(), name="course"),
    path("catalogue/areas/", catalogue.AreaList.as_view(), name="areas"),
    path("me/registrations/", me.MyRegistrations.as_view(), name="my_registrations"),
    path("me/registrations/<id:registration_id>/cancel/", me.CancelRegistration.as_view(), name="cancel"),
    path("me/certificates/", me.MyCertificates.as_view(), name="my_certificates"),
    path("hr/people/", hr.PeopleList.as_view(), name="hr_people"),
    path("hr/people/<id:person_id>/", hr.PersonDetail.as_view(), name="hr_person"),
    path("hr/certificates/", hr.CertificateList.as_view(), name="hr_certificates"),
    path("hr/compliance/", compliance.ComplianceList.as_view(), name="hr_compliance"),
    path("hr/people/<id:person_id>/compliance/", compliance.PersonComplianceDetail.as_view(),
         name="hr_person_compliance"),
    path("hr/external-training/", external.ExternalTrainingList.as_view(), name="hr_external_training"),
    path("staff/courses/<id:course_id>/registrations/", staff.CourseRegistrations.as_view(),
         name="staff_registrations"),
    path("staff/courses/<id:course_id>/attendance/", staff.CourseAttendance.as_view(), name="staff_attendance"),
    path("funding/plans/", funding.PlanList.as_view(), name="funding_plans"),
    path("funding/plans/<id:plan_id>/", funding.PlanRegister.as_view(), name="funding_plan"),
    path("funding/plans/<id:plan_id>/sessions/<id:session_id>/register/", funding.SessionRegisterView.as_view(),
         name="funding_session_register"),
]
