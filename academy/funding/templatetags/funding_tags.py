"""``{% funded_notice page %}``: on a course page, staff and the plan's learners see that the course is
funded (by which fund and plan). Others see nothing: the plan is not public information."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from academy.core.permissions import is_staff
from academy.funding.models import FundedPlan
from academy.registrations.models import Registration

register = template.Library()


@register.simple_tag(takes_context=True)
def funded_notice(context, page) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if page is None or not getattr(user, "is_authenticated", False):
        return ""
    course = getattr(page, "canonical", page)
    plans = list(FundedPlan.objects.filter(courses=course))
    if not plans:
        return ""
    person = getattr(user, "person", None)
    learner = person is not None and Registration.objects.filter(course=course, person=person).exclude(
        status=Registration.Status.CANCELLED).exists()
    if not (is_staff(user) or learner):
        return ""
    return render_to_string("funding/includes/funded_notice.html", {"plans": plans, "staff": is_staff(user)})
