"""A member's own registrations and certificates; registering and cancelling go through the same
service functions as the course page (eligibility, locking, e-mails, errors)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from academy.courses.models import CoursePage
from academy.network.services import person_of
from academy.registrations import services
from academy.registrations.models import Registration
from certificates.models import Certificate

from ..permissions import TokenScope
from ..problems import problem
from ..serializers import CertificateSerializer, RegisterSerializer, RegistrationSerializer
from .base import LANG_PARAMETER, LocalisedView

ERROR_STATUS = {services.Busy: 429, services.AlreadyRegistered: 409}


def member_or_404(request):
    """The signed-in member (``academy.network.services.person_of``), or a 404 problem document."""
    person = person_of(request.user)
    if person is None or person.anonymised_at is not None:
        raise NotFound(_("Your account has no member profile."))
    return person


def registration_row(registration: Registration) -> dict:
    return {"id": registration.pk, "course_id": registration.course_id,
            "course_title": registration.course.localized.title, "status": registration.status,
            "waiting_position": services.waiting_position(registration), "created_at": registration.created_at,
            "cancelled_at": registration.cancelled_at}


class MyRegistrations(LocalisedView):
    permission_classes = [TokenScope]

    @extend_schema(parameters=[LANG_PARAMETER], responses=RegistrationSerializer(many=True),
                   summary="My registrations")
    def get(self, request):
        person = member_or_404(request)
        rows = Registration.objects.filter(person=person).select_related("course").order_by("-created_at")
        return Response(RegistrationSerializer([registration_row(r) for r in rows], many=True).data)

    @extend_schema(request=RegisterSerializer, responses={201: RegistrationSerializer},
                   summary="Register for a course (or join its waiting list)")
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["consent"]:
            raise ValidationError({"consent": [_("Please confirm that you have read the privacy notice.")]})
        person = member_or_404(request)
        try:
            course = services.registrable_course(data.validated_data["course"])
        except CoursePage.DoesNotExist as exc:
            raise NotFound(_("No such course.")) from exc
        try:
            registration = services.register(person, course, by=request.user,
                                             consent_version=settings.ACADEMY["PRIVACY_NOTICE_VERSION"])
        except services.RegistrationError as exc:
            return problem(ERROR_STATUS.get(type(exc), 403), exc.message,
                           type_=f"urn:academy:registration:{type(exc).__name__}")
        return Response(RegistrationSerializer(registration_row(registration)).data, status=status.HTTP_201_CREATED)


class CancelRegistration(LocalisedView):
    permission_classes = [TokenScope]

    @extend_schema(request=None, responses=RegistrationSerializer, summary="Cancel one of my registrations")
    def post(self, request, registration_id: int):
        registration = Registration.objects.select_related("person", "course").filter(pk=registration_id).first()
        if registration is None or registration.person.user_id != request.user.pk:
            raise NotFound()
        try:
            registration = services.cancel(registration, by=request.user)
        except services.RegistrationError as exc:
            return problem(409, exc.message, type_=f"urn:academy:registration:{type(exc).__name__}")
        return Response(RegistrationSerializer(registration_row(registration)).data)


class MyCertificates(LocalisedView):
    permission_classes = [TokenScope]

    @extend_schema(parameters=[LANG_PARAMETER], responses=CertificateSerializer(many=True), summary="My certificates")
    def get(self, request):
        person = member_or_404(request)
        rows = Certificate.objects.filter(person=person).select_related("course").order_by("-issued_at")
        return Response(CertificateSerializer(rows, many=True).data)
