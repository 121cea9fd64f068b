"""Background tasks (django-tasks): the bulk issue started by staff from the Wagtail admin.

The bulk renderer forks worker processes, so it belongs in a task worker, not in a web request; with
the embedded ``immediate`` backend inside a threaded server it renders in-process instead
(``services._safe_workers``).
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def bulk_issue_task(job_id: int) -> int:
    return services.run_bulk_issue(job_id).done
