"""The course's certificate rule, on real attendance (Moodle customcert-style).

* only people with a **confirmed registration** count: attendance of someone who is not (or no longer)
  registered - a colleague who joined the Teams call with a forwarded link, a cancelled registration -
  never earns a certificate (``course_eligibility`` starts from the registrations, not the records);
* attended minutes are summed over **all** the course's counted sessions (canonical page, not
  cancelled; several sources at one session combine through ``academy.attendance.services.combine``);
* eligible when ``attended * 100 >= planned * attendance_threshold(course)`` (integers: exactly at the
  threshold is eligible, no float rounding);
* certified hours = attended hours rounded **down** to ``course.hours_rounding``, never above
  ``course.hours``;
* where the course requires its learning test (``academy.evaluation``), only people who passed it are
  eligible (``Eligibility.test_passed``: ``None`` when no test is required).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from academy.attendance.services import attended_minutes, counted_sessions
from academy.courses.models import CoursePage
from academy.evaluation import services as evaluation
from academy.network.models import Person
from academy.registrations.models import Registration

DEFAULT_THRESHOLD = 80
"""Percent of the planned minutes required when a course has none set (the field's default)."""


class CertificateError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Eligibility:
    person_id: int
    minutes: int
    planned: int
    threshold: int
    eligible: bool
    hours: Decimal
    test_passed: bool | None = None
    """The learning test's verdict where the course requires one (``None``: no test required)."""


def certified_hours(course: CoursePage, minutes: int) -> Decimal:
    """Attended hours rounded down to ``course.hours_rounding`` (0 = no rounding), capped at
    ``course.hours``: 1h20 with 0.5 → 1; 2h59 with 0.25 → 2.75."""
    hours = Decimal(minutes) / Decimal(60)
    step = Decimal(course.hours_rounding or 0)
    if step > 0:
        hours = (hours / step).to_integral_value(rounding=ROUND_FLOOR) * step
    else:
        hours = hours.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return min(hours, Decimal(course.hours)).quantize(Decimal("0.01"))


def attendance_threshold(course: CoursePage) -> int:
    """Percent of the planned minutes a person must attend: the one threshold for the rule, the
    admin screens and the Open Badge criteria."""
    return course.attendance_threshold or DEFAULT_THRESHOLD


def planned_minutes(course: CoursePage) -> int:
    return sum(s.planned_minutes for s in counted_sessions(course.canonical))


def _judge(course: CoursePage, person_id: int, minutes: int, planned: int,
           test_passed: bool | None = None) -> Eligibility:
    threshold = attendance_threshold(course)
    eligible = planned > 0 and minutes > 0 and minutes * 100 >= planned * threshold and test_passed is not False
    return Eligibility(person_id=person_id, minutes=minutes, planned=planned, threshold=threshold,
                       eligible=eligible, hours=certified_hours(course, minutes), test_passed=test_passed)


def course_eligibility(course: CoursePage) -> dict[int, Eligibility]:
    """``{person_id: Eligibility}`` for every confirmed registrant of the course (only they count)."""
    course = course.canonical
    planned = planned_minutes(course)
    registrants = list(Registration.objects.confirmed().filter(course=course)
                       .values_list("person_id", flat=True))
    minutes = attended_minutes(course, registrants)
    passed = evaluation.passed_people(course) if evaluation.test_required(course) else None
    return {pid: _judge(course, pid, minutes.get(pid, 0), planned, None if passed is None else pid in passed)
            for pid in registrants}


def eligibility_for(course: CoursePage, person: Person) -> Eligibility:
    """The rule for one person (not eligible at all without a confirmed registration)."""
    course = course.canonical
    planned = planned_minutes(course)
    registered = Registration.objects.confirmed().filter(course=course, person=person).exists()
    if not registered:
        return Eligibility(person.pk, 0, planned, attendance_threshold(course), False, Decimal("0.00"))
    minutes = attended_minutes(course, [person.pk]).get(person.pk, 0)
    test_passed = evaluation.has_passed(person, course) if evaluation.test_required(course) else None
    return _judge(course, person.pk, minutes, planned, test_passed)

