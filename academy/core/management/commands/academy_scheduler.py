"""The Academy's clock: one pass of the periodic work, once or every ``--interval`` seconds.

Run it from cron every minute (``manage.py academy_scheduler``) or as a long-running process
(``manage.py academy_scheduler --loop``). The command only sends ``academy.core.periodic``; each app
connects its steps in its own ``tasks.py`` (outbox delivery, reminders, retention purge, HR digests,
Teams). Every step is idempotent, so overlapping runs or a crash halfway never duplicate an e-mail, and
one step failing does not stop the others.

Safe to run on two hosts: with Redis configured, a pass runs only in the scheduler holding the
``scheduler`` lease (``academy.core.locking.Lease``, renewed every pass, expiring after three intervals),
so a standby takes over within that time when the leader dies. Without Redis (embedded) or with Redis
unreachable the pass runs anyway: the steps' own idempotency (outbox keys) still sends each reminder and
digest once (tests/registrations/test_scheduler_twice.py).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils import timezone

from academy.core.locking import Lease
from academy.core.periodic import run_periodic


class Command(BaseCommand):
    help = "Run the periodic work once (or --loop): reminders, outbox delivery, purges, HR digests, Teams."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Run every --interval seconds until stopped.")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, loop: bool = False, interval: int = 60, **options):
        # A loop keeps the lease between passes (renewed each pass); a single run frees it at the end.
        self.lease = Lease("scheduler", ttl=max(interval * 3, 30) if loop else 600)
        try:
            while True:
                failed = self.run_once()
                if not loop:
                    if failed:
                        raise CommandError(f"periodic steps failed: {', '.join(failed)}")
                    return
                time.sleep(interval)
        finally:
            if not loop:
                self.lease.release()

    def run_once(self) -> list[str]:
        """One pass; returns the names of the steps that failed (already logged with their traceback)."""
        # A long-running loop reconnects after the database or a connection was lost (next pass retries).
        if not connection.in_atomic_block:  # never drop a caller's transaction (tests, a wrapping command)
            close_old_connections()
        now = timezone.now()
        stamp = f"{timezone.localtime(now):%Y-%m-%d %H:%M}"
        lease = getattr(self, "lease", None) or Lease("scheduler", ttl=600)
        if lease.acquire() is False:
            self.stdout.write(f"{stamp} standby (another scheduler holds the lease)")
            return []
        failed = [name for name, _exc in run_periodic(now)]
        if failed:
            self.stderr.write(f"{stamp} failed: {', '.join(failed)}")
        else:
            self.stdout.write(f"{stamp} ok")
        return failed
