"""Shared and exclusive locks on objects for the length of a transaction (pretix ``lock_objects``).

A course's seats are contended by many people at once. Instead of ``SELECT ... FOR UPDATE`` on the
course row (which would block Wagtail's page saves and revision publishing on the same row), a seat
decision takes a PostgreSQL *advisory transaction lock* keyed by (namespace, object id):

* it serialises only the work on that object (other courses proceed in parallel) and is released
  automatically at commit or rollback, so a crash leaves no stale lock;
* ``lock_timeout`` turns a pile-up into a quick, explainable ``LockTimeout`` ("try again") instead of
  requests hanging until the proxy gives up;
* a *shared* lock lets holders that decide nothing about the scarce resource (joining a full course's
  waiting list) run side by side, while an *exclusive* holder never overlaps any of them.

On SQLite the settings open every transaction with ``BEGIN IMMEDIATE``, which takes the database write
lock up front and serialises writers the same way, so there is nothing to do here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from django.db import OperationalError, connection

COURSE = 710  # namespace of course locks (the first key of pg_advisory_xact_lock(int, int))
LOCK_TIMEOUT_MS = 5000


class LockTimeout(Exception):
    """The lock was not granted within the timeout (the transaction is aborted)."""


def lock_objects(exclusive: Iterable[int] = (), shared: Iterable[int] = (), *, namespace: int = COURSE,
                 timeout_ms: int | None = None) -> None:
    """Lock the ids in ``exclusive`` exclusively and those in ``shared`` in shared mode until the current
    transaction ends. Ids are locked in order, so two callers locking several objects cannot deadlock.

    Must run inside ``transaction.atomic()``. Raises ``LockTimeout``.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_objects() needs a transaction: the locks last until it ends")
    if connection.vendor != "postgresql":  # SQLite: BEGIN IMMEDIATE already holds the write lock
        return
    exclusive_ids = sorted({int(pk) for pk in exclusive})
    shared_ids = sorted({int(pk) for pk in shared} - set(exclusive_ids))
    # Raw SQL because the ORM has no advisory locks; only integers are interpolated, and the timeout and
    # the locks travel as one simple query (one round trip of lock-hold time less per registration).
    timeout = LOCK_TIMEOUT_MS if timeout_ms is None else timeout_ms
    statements = [f"SET LOCAL lock_timeout = '{int(timeout)}ms'"]
    statements += [f"SELECT pg_advisory_xact_lock({int(namespace)}, {pk})" for pk in exclusive_ids]
    statements += [f"SELECT pg_advisory_xact_lock_shared({int(namespace)}, {pk})" for pk in shared_ids]
    with lock_waits_time_out(), connection.cursor() as cursor:
        cursor.execute("; ".join(statements))


def is_lock_wait_timeout(exc: OperationalError) -> bool:
    """Whether ``exc`` says a lock was not granted in time (PostgreSQL ``lock_not_available``, or
    SQLite's busy database), as opposed to a broken connection or a bad query."""
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == "55P03":
        return True
    return connection.vendor == "sqlite" and "database is locked" in str(exc)


@contextlib.contextmanager
def lock_waits_time_out() -> Iterator[None]:
    """Turn a lock wait that ran out inside the block into ``LockTimeout``.

    ``lock_timeout`` is set for the whole transaction, so it also bounds what the statements after the
    advisory lock wait for (a table locked by a maintenance job, a row held by another writer); those
    must give the same "try again" as the advisory lock itself, not an error page.
    """
    try:
        yield
    except OperationalError as exc:
        if is_lock_wait_timeout(exc):
            raise LockTimeout() from exc
        raise


def lock_course(course_id: int) -> None:
    """The per-course lock that every seat decision (register, cancel, promote, approve) holds exclusively."""
    lock_objects(exclusive=[course_id])


# --- Leadership among processes (the scheduler) ---------------------------------------------------------
# Advisory locks above last one transaction, which suits PgBouncer's transaction pooling; a scheduler
# pass spans many transactions, so its leadership is a Redis lease instead (SET NX with an expiry: a
# scheduler that dies frees it within ``ttl`` seconds). Every periodic step is idempotent on its own
# (outbox keys, row locks), so the lease only spares the duplicate work: when Redis cannot be reached the
# pass runs anyway rather than stopping e-mail delivery.


class Lease:
    """A named lease held by one process at a time; ``acquire`` again to renew it."""

    def __init__(self, name: str, ttl: float, *, url: str | None = None):
        import uuid

        from django.conf import settings

        self.name, self.ttl = f"{settings.REDIS_KEY_PREFIX}:lease:{name}", ttl
        self.url = settings.REDIS_URL if url is None else url
        self.token = uuid.uuid4().hex
        self._client = None

    def _redis(self):
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2)
        return self._client

    # Renew only our own lease, atomically (the value is the holder's token).
    _RENEW = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
              "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end")
    _RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
                "return redis.call('del', KEYS[1]) else return 0 end")

    def acquire(self) -> bool | None:
        """True if this process holds the lease now (taken or renewed), False if another one does,
        None when there is no Redis to ask (not configured, or unreachable)."""
        if not self.url:
            return None
        import redis

        ms = int(self.ttl * 1000)
        try:
            client = self._redis()
            if client.set(self.name, self.token, nx=True, px=ms):
                return True
            return bool(client.eval(self._RENEW, 1, self.name, self.token, ms))
        except redis.RedisError:
            return None

    def release(self) -> None:
        if not self.url:
            return
        import redis

        try:
            self._redis().eval(self._RELEASE, 1, self.name, self.token)
        except redis.RedisError:
            pass
