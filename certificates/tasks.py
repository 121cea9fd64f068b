"""Background tasks (django-tasks): the bulk issue started by staff from the Wagtail admin (which
splits the rendering into batch tasks that the workers run in parallel), and the certificate of
someone who has just passed a required learning test (``academy.evaluation``).
"""

from __future__ import annotations

from django.dispatch import receiver
from django_tasks import task

from academy.evaluation.signals import test_passed

from . import services


@task()
def bulk_issue_task(job_id: int) -> int:
    return services.run_bulk_issue(job_id).done


@task()
def render_batch_task(job_id: int, certificate_ids: list[int]) -> int:
    return services.run_batch(job_id, certificate_ids)


@task()
def issue_after_test_task(course_id: int, person_id: int) -> bool:
    """Issue the certificate of a person who passed the course's required test, if the rule now holds
    (attendance too); otherwise nothing happens and the staff's bulk issue covers them later."""
    from academy.courses.models import CoursePage
    from academy.network.models import Person

    course = CoursePage.objects.get(pk=course_id)
    person = Person.objects.get(pk=person_id)
    if not services.eligibility_for(course, person).eligible:
        return False
    services.issue_certificate(course, person)
    return True


@receiver(test_passed, dispatch_uid="certificates.issue_after_test")
def on_test_passed(sender, course_id: int, person_id: int, **kwargs) -> None:
    from academy.courses.models import CoursePage
    from academy.evaluation.services import test_required

    if test_required(CoursePage.objects.get(pk=course_id)):
        issue_after_test_task.enqueue(course_id, person_id)
