"""django-tasks on Redis, pushing jobs only when the transaction that enqueued them commits.

Wagtail (search index, reference index) enqueues a job per saved row from ``post_save``; inside an
import that is then rolled back those jobs would still run, and pile up ahead of e-mail. django-tasks
no longer offers an on-commit option, so this backend defers the push itself; a push that fails after
commit (Redis down) is logged and does not turn the committed request into an error.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks_rq import RQBackend

logger = logging.getLogger(__name__)


class OnCommitRQBackend(RQBackend):
    def enqueue(self, task, args, kwargs):
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        transaction.on_commit(lambda: self._push(task, args, kwargs), robust=True)
        return None  # no job exists yet; nobody in the Academy or Wagtail reads the result of a push

    def _push(self, task, args, kwargs) -> None:
        try:
            super().enqueue(task, args, kwargs)
        except Exception:
            logger.exception("could not enqueue %s after commit", task.module_path)
