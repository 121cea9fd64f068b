"""Background tasks of the HR area (django-tasks)."""

from __future__ import annotations

import datetime

from django_tasks import task

from . import services


@task()
def send_hr_digests_task(today: str | None = None) -> int:
    """Queue the monthly HR digests (idempotent per officer and month). ``today`` is ISO (tasks take
    JSON arguments). The ``academy_scheduler`` command calls ``services.send_hr_digests`` directly."""
    return services.send_hr_digests(datetime.date.fromisoformat(today) if today else None)
