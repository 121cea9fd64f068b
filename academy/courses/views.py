"""Public calendar downloads: one course's ``.ics`` and the subscribable programme feed.

Neither ever contains a Teams join link (see ``calendar``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from wagtail.models import Locale

from . import catalogue
from .calendar import course_calendar, programme_feed
from .models import CoursePage, ThematicArea


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def course_ics(request: HttpRequest, page_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live().public(), pk=page_id)
    return _calendar_response(course_calendar(course), f"{course.slug}.ics")


def programme_ics(request: HttpRequest, area: str = "") -> HttpResponse:
    if area and not ThematicArea.objects.filter(slug=area).exists():
        raise Http404("Unknown area")
    locale = Locale.objects.filter(language_code=translation.get_language()).first() or Locale.get_default()
    courses = catalogue.find_courses(locale, period=catalogue.ALL, area=area)
    name = "Academy" + (f" — {area}" if area else "")
    return _calendar_response(programme_feed(courses, name), f"academy-{area or 'programme'}.ics")
