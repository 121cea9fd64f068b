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


class ComplianceItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["obligation", "requirement"],
                                   help_text="A legal obligation or a requirement of the organisation.")
    id = serializers.IntegerField(help_text="The obligation's or requirement's id.")
    code = serializers.CharField(help_text="The obligation's code in the catalogue ('' for a requirement).")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["compliant", "due", "lapsed", "overdue"])
    status_label = serializers.CharField()
    deadline = serializers.DateField(allow_null=True, help_text="Due date (the expiry day for a requirement).")
    last_done = serializers.DateField(allow_null=True)
    done = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    missing = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                       help_text="Hours or credits still missing (null for a requirement).")
    unit = serializers.CharField(help_text="hours, credits or '' (requirement)")
    legal_reference = serializers.CharField(help_text="The legal citation of an obligation, from the catalogue.")
    planned_course = serializers.CharField(help_text="A course the person is registered for that satisfies it.")
    to_do = serializers.CharField(help_text="How to fix it, as the HR dashboard says it ('' when compliant).")
    courses_url = serializers.CharField(help_text="The HR page listing the courses that satisfy the obligation.")


class PersonComplianceSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    fiscal_code = serializers.CharField()
    organisation = serializers.IntegerField(allow_null=True)
    organisation_name = serializers.CharField(allow_null=True)
    job_role = serializers.CharField()
    status = serializers.ChoiceField(choices=["compliant", "due", "lapsed", "overdue"],
                                     help_text="The worst status of the person's items.")
    status_label = serializers.CharField()
    items = ComplianceItemSerializer(many=True)


class ExternalTrainingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    title = serializers.CharField()
    provider = serializers.CharField()
    date = serializers.DateField(help_text="Completed on (the attestato's end date).")
    hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    credits = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, help_text="ECM credits.")
    obligation = serializers.IntegerField(source="obligation_id", allow_null=True)
    obligation_code = serializers.CharField(source="obligation.code", allow_null=True, default=None)
    delivery_mode = serializers.CharField()
    attestato_reference = serializers.CharField()
    competences = serializers.SerializerMethodField(help_text="Competence slugs.")
    equivalent_course = serializers.IntegerField(source="equivalent_course_id", allow_null=True)
    has_attachment = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_has_attachment(self, training) -> bool:
        return bool(training.attachment)

    def get_competences(self, training) -> list[str]:
        return [c.slug for c in training.competences.all()]


class ExternalTrainingRowSerializer(serializers.Serializer):
    """One row as in the HR page's import file (the import checks the values: see ``docs/api.md``)."""

    email = serializers.CharField(required=False, allow_blank=True, help_text="The person's e-mail, or:")
    fiscal_code = serializers.CharField(required=False, allow_blank=True, help_text="their codice fiscale.")
    title = serializers.CharField(required=False, allow_blank=True)
    provider = serializers.CharField(required=False, allow_blank=True)
    date = serializers.CharField(required=False, allow_blank=True, help_text="YYYY-MM-DD or DD/MM/YYYY, not future.")
    hours = serializers.CharField(required=False, allow_blank=True, help_text="More than 0, at most 1000.")
    competences = serializers.ListField(child=serializers.CharField(), required=False,
                                        help_text="Competence slugs or names.")


class ExternalTrainingImportSerializer(serializers.Serializer):
    rows = ExternalTrainingRowSerializer(many=True, allow_empty=False)


class FundedPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan_code = serializers.CharField()
    project_code = serializers.CharField()
    title = serializers.CharField()
    fund = serializers.CharField()
    call_code = serializers.CharField()
    proposer = serializers.IntegerField(allow_null=True, help_text="The proposing organisation.")
    proposer_name = serializers.CharField(allow_null=True)
    minimum_attendance = serializers.IntegerField(help_text="Share of planned hours each learner must attend (%).")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class NotIdentifiedSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=["anonymous", "shared"],
                                     help_text="Teams minutes with no login of their own, or a shared connection.")


class PlanSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField()
    course_title = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.CharField()
    planned_minutes = serializers.IntegerField()
    complete = serializers.BooleanField(help_text="The register proves attendance (no gap below).")
    tutor_missing = serializers.BooleanField(help_text="A distance session whose course has no tutor.")
    not_identified = NotIdentifiedSerializer(many=True)


class PlanLearnerSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    full_name = serializers.CharField()
    fiscal_code = serializers.CharField()
    organisation = serializers.CharField()
    fiscal_code_missing = serializers.BooleanField()
    planned_minutes = serializers.IntegerField()
    attended_minutes = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1)
    reaches_minimum = serializers.BooleanField()


class PlanRegisterSerializer(FundedPlanSerializer):
    complete = serializers.BooleanField(help_text="Every session's register is complete and every learner has a "
                                                  "codice fiscale.")
    learners_without_fiscal_code = serializers.ListField(child=serializers.IntegerField())
    sessions = PlanSessionSerializer(many=True)
    learners = PlanLearnerSerializer(many=True, allow_null=True,
                                     help_text="null for the plan's inspector (the summary is not theirs, as on "
                                               "the pages).")
    generated_at = serializers.DateTimeField()


class SpanSerializer(serializers.Serializer):
    login = serializers.DateTimeField()
    logout = serializers.DateTimeField(allow_null=True, help_text="null: still connected (or never logged out).")


class RegisterRowSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    full_name = serializers.CharField()
    fiscal_code = serializers.CharField()
    organisation = serializers.CharField()
    minutes = serializers.IntegerField(help_text="Minutes counted (clipped to the session, sources combined).")
    first_login = serializers.DateTimeField(allow_null=True)
    last_logout = serializers.DateTimeField(allow_null=True)
    spans = SpanSerializer(many=True, help_text="Login and logout times as recorded.")


class SessionRegisterSerializer(PlanSessionSerializer):
    plan = serializers.IntegerField()
    plan_code = serializers.CharField()
    trainers = serializers.ListField(child=serializers.CharField())
    learners_without_fiscal_code = serializers.ListField(child=serializers.IntegerField())
    rows = RegisterRowSerializer(many=True)
    generated_at = serializers.DateTimeField()
