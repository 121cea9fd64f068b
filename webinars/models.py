"""Webinar pages: a one-session course delivered online on Microsoft Teams."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel, ObjectList, TabbedInterface

from academy.courses.models import CoursePage


class WebinarPage(CoursePage):
    """A webinar: free, reserved to network members, on Teams; registrants get a guest join link."""

    parent_page_types = ["cms.ProgrammePage"]
    subpage_types: list[str] = []
    template = "webinars/webinar_page.html"
    kind_label = _("webinar")

    edit_handler = TabbedInterface([
        ObjectList(CoursePage.content_panels, heading=_("Content")),
        ObjectList([InlinePanel("sessions", label=_("Date and time"), min_num=1, max_num=1)],
                   heading=_("Schedule")),
        ObjectList(CoursePage.registration_panels, heading=_("Registration")),
        ObjectList(CoursePage.promote_panels, heading=_("Promote")),
    ])

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")
