"""The course lock: exclusive holders exclude everyone, shared holders only exclusive ones."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from academy.core.locking import LockTimeout, lock_course, lock_objects


def test_a_lock_needs_a_transaction():
    with pytest.raises(RuntimeError):
        lock_course(1)


def _in_other_connection(fn) -> list:
    """Run ``fn`` in a thread with its own database connection; returns what it raised, if anything."""
    outcome: list = []

    def run():
        try:
            with transaction.atomic():
                fn()
        except Exception as exc:
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_shared_holders_run_side_by_side_and_an_exclusive_one_times_out():
    with transaction.atomic():
        lock_objects(shared=[42])
        assert _in_other_connection(lambda: lock_objects(shared=[42], timeout_ms=200)) == []
        refused = _in_other_connection(lambda: lock_objects(exclusive=[42], timeout_ms=200))
        assert len(refused) == 1 and isinstance(refused[0], LockTimeout)
        assert _in_other_connection(lambda: lock_objects(exclusive=[43], timeout_ms=200)) == []  # other course
    assert _in_other_connection(lambda: lock_objects(exclusive=[42], timeout_ms=200)) == []  # released at commit
