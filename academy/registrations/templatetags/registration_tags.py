"""``{% registration_state page as state %}``: what the registration box on a course page shows."""

from __future__ import annotations

from django import template
from django.conf import settings
from wagtail.models import Page

from academy.network.services import eligibility, person_of
from academy.registrations import services
from academy.registrations.reads import public_state

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_state(context, page) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    course = page.specific if type(page) is Page else page
    course = course.canonical
    person = person_of(user)
    registration = services.active_registration(person, course) if person else None
    blocker = None
    if user is not None and user.is_authenticated and registration is None:
        blocker = services.registration_blocker(person, course, by=user)
    privacy = Page.objects.filter(slug="privacy", locale__language_code=getattr(request, "LANGUAGE_CODE", "it"),
                                  live=True).first() if request else None
    return {
        "course": course,
        "authenticated": bool(user and user.is_authenticated),
        "person": person,
        "registration": registration,
        "position": services.waiting_position(registration) if registration else None,
        "blocker": blocker,
        "not_member": bool(person is None or (blocker and isinstance(blocker, services.NotEligible))),
        "eligible": bool(person and eligibility(person).eligible),
        "free_seats": services.free_seats(course),
        "public": public_state(course),
        "application": course.registration_mode == course.RegistrationMode.APPLICATION,
        "approval": course.registration_mode == course.RegistrationMode.APPROVAL,
        "privacy_url": privacy.url if privacy else "",
        "privacy_version": settings.ACADEMY["PRIVACY_NOTICE_VERSION"],
        "consent_on_record": services.consent_on_record(person, settings.ACADEMY["PRIVACY_NOTICE_VERSION"]),
    }
