"""What the API shows: ids are the default-locale course page's (the one that owns sessions and
registrations, stable whatever the language); text is in the language asked for."""

from __future__ import annotations

from rest_framework import serializers

from certificates.services.content import verify_url


class AreaSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.CharField()
    venue = serializers.CharField()


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The course's stable id (its default-language page).")
    title = serializers.CharField()
    kind = serializers.CharField(help_text="webinar or masterclass")
    url = serializers.URLField()
    first_starts_at = serializers.DateTimeField(allow_null=True)
    last_ends_at = serializers.DateTimeField(allow_null=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    areas = AreaSerializer(many=True)
    registration_state = serializers.CharField(help_text="open, full (waiting list), closed, ...")
    registration_state_label = serializers.CharField()
    seats_free = serializers.IntegerField(allow_null=True, help_text="null: no limit")
    sessions = SessionSerializer(many=True)


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField()
    status = serializers.CharField()
    waiting_position = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField(allow_null=True)


class RegisterSerializer(serializers.Serializer):
    course = serializers.IntegerField(help_text="The course id from the catalogue.")
    consent = serializers.BooleanField(help_text="The person has read the current privacy notice.")


class CertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.localized.title")
    person = serializers.IntegerField(source="person_id")
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    first_date = serializers.DateField()
    last_date = serializers.DateField()
    issued_at = serializers.DateTimeField()
    status = serializers.CharField()
    verification_url = serializers.SerializerMethodField()

    def get_verification_url(self, certificate) -> str:
        return verify_url(certificate.code)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    fiscal_code = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    organisation_name = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    job_role = serializers.CharField()


class StaffRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    first_name = serializers.CharField(source="person.first_name")
    last_name = serializers.CharField(source="person.last_name")
    email = serializers.EmailField(source="person.email")
    organisation_name = serializers.CharField(source="person.organisation.name", allow_null=True, default=None)
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class AttendanceSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    session = serializers.IntegerField()
    minutes = serializers.IntegerField()
