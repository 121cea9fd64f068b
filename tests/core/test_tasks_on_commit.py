"""On Redis, a job is pushed only when the transaction that asked for it commits: Wagtail's search-index
job for a row saved inside a rolled-back import never reaches the queue; one that commits does."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction

from academy.network.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rq_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "academy.core.task_backends.OnCommitRQBackend",
                                  "QUEUES": settings.TASK_QUEUES}}
    queue = mock.MagicMock()
    with mock.patch("django_rq.get_queue", return_value=queue):
        yield queue


def pushed(queue) -> list[str]:
    return [call.args[0] for call in queue.create_job.call_args_list]


class Rollback(Exception):
    pass


def test_jobs_of_a_rolled_back_import_are_never_pushed(rq_queue):
    with pytest.raises(Rollback), transaction.atomic():
        for n in range(3):
            Organisation.objects.create(name=f"Cooperativa {n}")
        raise Rollback
    assert pushed(rq_queue) == []

    with transaction.atomic():
        Organisation.objects.create(name="Cooperativa tenuta")
        assert pushed(rq_queue) == []  # not before commit
    assert pushed(rq_queue), "the committed row's jobs are pushed"


def test_a_push_that_fails_after_commit_does_not_fail_the_request(rq_queue):
    rq_queue.enqueue_job.side_effect = ConnectionError("Redis down")
    with transaction.atomic():
        Organisation.objects.create(name="Cooperativa senza Redis")
    assert Organisation.objects.filter(name="Cooperativa senza Redis").exists()
