"""The shared bases keep existing rows: a failed Teams operation keeps its error, its wait and whether staff
were told; an HR import job keeps its row count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("webinars", "0004_trainer_accounts_and_attendance_state"),
          ("competences", "0005_external_training_frame_kind_module")]
AFTER = [("webinars", "0005_graphoperation_retryable_operation"), ("competences", "0006_importjob_background_job")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_operations_and_jobs_keep_their_data():
    try:
        check_operations_and_jobs_keep_their_data()
    finally:  # later tests on this database get the current schema back
        migrate(leaves())


def check_operations_and_jobs_keep_their_data():
    old = migrate(BEFORE)
    Op = old.get_model("webinars", "GraphOperation")
    finished = timezone.now().replace(microsecond=0)
    common = {"kind": "create", "target": "session:1", "backend": "graph", "status": "failed",
              "finished_at": finished}
    Op.objects.create(idempotency_key="create:a", attempts=1, error="timeout", **common)
    Op.objects.create(idempotency_key="create:b", attempts=3, error="403 Forbidden", **common)
    Op.objects.create(idempotency_key="create:c", attempts=6, error="403 Forbidden", **common)
    User = old.get_model("auth", "User")
    Job = old.get_model("competences", "ImportJob")
    Job.objects.create(kind="roster", created_by=User.objects.create(username="hr-migrazione"), rows_total=812,
                       status="done")

    new = migrate(AFTER)
    ops = {op.idempotency_key: op for op in new.get_model("webinars", "GraphOperation").objects.all()}
    assert ops["create:b"].last_error == "403 Forbidden"
    assert ops["create:a"].next_attempt_at == finished  # retried at once after a first failure
    assert ops["create:b"].next_attempt_at == finished + datetime.timedelta(minutes=4)
    assert [ops[k].staff_alerted for k in ("create:a", "create:b", "create:c")] == [False, False, True]
    assert new.get_model("competences", "ImportJob").objects.get().total == 812
