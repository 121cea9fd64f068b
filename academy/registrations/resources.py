"""Export of a course's registrations (CSV/XLSX) with django-import-export, for staff."""

from __future__ import annotations

from import_export import fields, resources

from .models import Registration


class RegistrationResource(resources.ModelResource):
    first_name = fields.Field(attribute="person__first_name", column_name="first_name")
    last_name = fields.Field(attribute="person__last_name", column_name="last_name")
    email = fields.Field(attribute="person__email", column_name="email")
    organisation = fields.Field(attribute="person__organisation__name", column_name="organisation")
    job_role = fields.Field(attribute="person__job_role", column_name="job_role")
    course = fields.Field(attribute="course__title", column_name="course")

    class Meta:
        model = Registration
        fields = ("id", "course", "first_name", "last_name", "email", "organisation", "job_role", "status",
                  "created_at", "cancelled_at", "consent_version", "consent_at")
        export_order = fields

    def dehydrate_status(self, registration: Registration) -> str:
        return registration.status
