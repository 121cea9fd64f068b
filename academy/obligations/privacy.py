"""A person's designations are exported (their training done elsewhere, mandatory and ECM included, with
``academy.competences.privacy``). At erasure they stay with the anonymised person: the employer must keep
the proof of mandatory training (the course file is kept at least ten years), and nothing in them names
the person once the person row is erased."""

from __future__ import annotations

from academy.core import privacy

from .models import Designation, Employment


def export_mandatory_training(person) -> list[dict]:
    rows: list[dict] = [{"designation": d.role, "since": d.since} for d in Designation.objects.filter(person=person)]
    rows += [{"employed_since": e.hired_on, "job_since": e.job_since, "job_risk_class": e.risk_class}
             for e in Employment.objects.filter(person=person)]
    return rows


privacy.register("mandatory_training", export=export_mandatory_training, export_order=65)


RETENTION_YEARS = 10


def mandatory_course_hold(course):
    """A course that satisfies an obligation keeps its file (attendance, attestati) ten years after its
    last session (see docs/mandatory-training.md)."""
    from .models import CourseModule

    course = course.canonical if hasattr(course, "canonical") else course
    if course.last_ends_at is None or not CourseModule.objects.filter(course_id=course.pk).exists():
        return None
    end = course.last_ends_at
    try:
        return end.replace(year=end.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return end.replace(year=end.year + RETENTION_YEARS, day=28)


privacy.register_hold("mandatory_training", mandatory_course_hold)
