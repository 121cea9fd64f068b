"""Masterclass applications: an application's motivation names the person and its endorser (a third
party), so erasure blanks them; the rows stay for the counts."""

from __future__ import annotations

from academy.core import privacy

from .models import Application


def export_applications(person) -> list[dict]:
    return [
        {"course": a.course.title, "role": a.role, "motivation": a.motivation,
         "endorser_name": a.endorser_name, "endorser_email": a.endorser_email, "status": a.status,
         "submitted_at": a.created_at}
        for a in Application.objects.filter(person=person).select_related("course")
    ]


def erase_applications(person, *, by, now) -> None:
    Application.objects.filter(person=person).update(motivation="", endorser_name="", endorser_email="", role="")


privacy.register("masterclass_applications", export=export_applications, erase=erase_applications,
                 order=50, export_order=50)
