"""Invitations to evaluate a course: one e-mail after its last session, one reminder, through the outbox.

Both are queued under an idempotency key (``evaluation:<course>:<person>:invitation`` / ``:reminder``),
so a scheduler that runs twice, or a pass that crashes half-way, never sends a message twice. Only
courses that ended in the last ``INVITE_WINDOW`` are considered, so the periodic step stays small.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from academy.core.outbox import queue_email
from academy.core.urls import absolute_url
from academy.courses.models import CoursePage
from academy.registrations.models import Registration

from ..models import Invitation
from .answering import has_answered
from .settings import has_test, questionnaire_for, test_required
from .testing import has_passed

INVITE_WINDOW = datetime.timedelta(days=30)
REMINDER_AFTER = datetime.timedelta(days=4)


def _language(person) -> str:
    lang = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    return lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def evaluation_links(course) -> dict[str, str]:
    links = {}
    if questionnaire_for(course) is not None:
        links["questionnaire_url"] = absolute_url(reverse("evaluation:questionnaire", args=[course.pk]))
    if has_test(course):
        links["test_url"] = absolute_url(reverse("evaluation:test", args=[course.pk]))
    return links


def _send(invitation: Invitation, kind: str) -> None:
    course, person = invitation.course, invitation.person
    with translation.override(_language(person)):
        page = course.localized
        context = {"person": person, "course": page, "kind": kind, "test_required": test_required(course),
                   **evaluation_links(course)}
        subject = (_("How was it? Evaluate %(course)s") if kind == "invitation"
                   else _("Reminder: evaluate %(course)s")) % {"course": page.title}
        body = render_to_string("emails/evaluation/invitation.txt", context)
    queue_email(f"evaluation:{course.pk}:{person.pk}:{kind}", person.email, subject, body)


def courses_to_evaluate(now: datetime.datetime):
    return (CoursePage.objects.live().filter(locale=Locale.get_default(), last_ends_at__lte=now,
                                             last_ends_at__gt=now - INVITE_WINDOW))


def send_due_invitations(now: datetime.datetime | None = None) -> int:
    """Invite every confirmed participant of recently ended courses once; remind once those who have
    neither answered nor (where required) passed the test. Returns the number of e-mails queued."""
    now = now or timezone.now()
    queued = 0
    for course in courses_to_evaluate(now):
        if questionnaire_for(course) is None and not has_test(course):
            continue
        people = (Registration.objects.confirmed().filter(course=course)
                  .values_list("person", flat=True))
        with transaction.atomic():
            for person_id in people:
                invitation, _created = Invitation.objects.get_or_create(course=course, person_id=person_id)
                if invitation.invited_at is None:
                    _send(invitation, "invitation")
                    Invitation.objects.filter(pk=invitation.pk).update(invited_at=now)
                    queued += 1
                elif (invitation.reminded_at is None and invitation.invited_at <= now - REMINDER_AFTER
                      and _still_open(invitation)):
                    _send(invitation, "reminder")
                    Invitation.objects.filter(pk=invitation.pk).update(reminded_at=now)
                    queued += 1
    return queued


def _still_open(invitation: Invitation) -> bool:
    course, person = invitation.course, invitation.person
    open_survey = questionnaire_for(course) is not None and not has_answered(person, course)
    open_test = test_required(course) and not has_passed(person, course)
    return open_survey or open_test
