"""Background tasks (django-tasks) wrapping the registration services, for the scheduler or a worker."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_due_reminders_task() -> int:
    return services.send_due_reminders()


@task()
def purge_expired_personal_data_task() -> int:
    return services.purge_expired_personal_data()
