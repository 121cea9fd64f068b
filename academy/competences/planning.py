"""From "who is due" to "done": the upcoming courses that satisfy an obligation, the people in an HR
officer's scope who must act on it, and registering several of them at once through the registration
service (the same eligibility, seat locking, waiting list and e-mails as one by one). Each registration is
its own transaction: one refusal (not eligible, already registered) stops nobody else."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Locale

from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.obligations.models import CourseModule, Obligation
from academy.registrations.services import RegistrationError, register

from .engine import OBLIGATION, Item, load_compliance


@dataclass
class CourseOption:
    course: CoursePage
    modules: list[CourseModule]

    @property
    def hours(self):
        return sum(m.hours for m in self.modules)


@dataclass
class PersonToPlan:
    person_id: int
    name: str
    organisation: str
    item: Item


def courses_for(obligation: Obligation, *, now: datetime.datetime | None = None) -> list[CourseOption]:
    """Live, default-locale courses that count towards ``obligation`` and still take registrations."""
    now = now or timezone.now()
    modules = list(CourseModule.objects.filter(
        obligation=obligation, course__live=True, course__locale=Locale.get_default(),
        course__last_ends_at__gt=now).select_related("course").order_by("course__first_starts_at", "sort_order"))
    options: dict[int, CourseOption] = {}
    for module in modules:
        option = options.setdefault(module.course_id, CourseOption(module.course, []))
        option.modules.append(module)
    return [o for o in options.values() if o.course.is_registration_open(now)]


def people_to_plan(people: QuerySet[Person], obligation: Obligation, *,
                   today: datetime.date | None = None) -> list[PersonToPlan]:
    """People among ``people`` (scoped by the caller) for whom ``obligation`` is due, lapsed or overdue,
    worst first, then by deadline; the engine says whether each is already planned on a course."""
    answer = load_compliance(people, today=today)
    key = f"{OBLIGATION}:{obligation.pk}"
    names = {o.pk: o.name for o in answer.organisations.values()}
    found = []
    for pk, first_name, last_name, _job_role, org_id in answer.rows:
        item = next((i for i in answer.for_person(pk).items if i.key == key), None)
        if item is not None and item.needs_action:
            found.append(PersonToPlan(pk, f"{last_name} {first_name}".strip(), names.get(org_id, ""), item))
    order = {"overdue": 0, "lapsed": 1, "due": 2}
    found.sort(key=lambda p: (order.get(p.item.status, 3), p.item.deadline or datetime.date.min, p.name))
    return found


@dataclass
class Outcome:
    person: Person
    status: str = ""  # the registration's status label when registered
    error: str = ""  # why it was refused


def register_many(people: list[Person], course: CoursePage, *, by) -> list[Outcome]:
    """Register each person through ``registrations.services.register``; refusals are reported, not raised."""
    outcomes = []
    for person in people:
        try:
            registration = register(person, course, by=by)
        except RegistrationError as exc:
            outcomes.append(Outcome(person, error=exc.message))
        else:
            outcomes.append(Outcome(person, status=str(registration.get_status_display())))
    return outcomes
