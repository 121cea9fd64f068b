"""Certificates are exported; they stay at erasure (the person is anonymised) as the record of what
was issued."""

from __future__ import annotations

from academy.core import privacy

from .models import Certificate


def export_certificates(person) -> list[dict]:
    return [
        {"code": c.code, "course": c.course.title, "hours": c.hours, "first_date": c.first_date,
         "last_date": c.last_date, "issued_at": c.issued_at, "status": c.status}
        for c in Certificate.objects.filter(person=person).select_related("course")
    ]


privacy.register("certificates", export=export_certificates, export_order=40)
