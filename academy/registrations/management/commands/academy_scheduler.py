"""The Academy's clock: reminders, outbox delivery (retries) and the retention purge.

Run it from cron every minute (``manage.py academy_scheduler``) or as a long-running process
(``manage.py academy_scheduler --loop``). Every step is idempotent, so overlapping runs or a crash
halfway never duplicate an e-mail.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.utils import timezone

from academy.core.outbox import deliver_pending
from academy.registrations import services

PURGE_EVERY = 60 * 60 * 24  # seconds: the retention purge runs daily


class Command(BaseCommand):
    help = "Send due reminders, deliver pending e-mails, purge expired personal data (once, or --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Run every --interval seconds until stopped.")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, loop: bool = False, interval: int = 60, **options):
        while True:
            self.run_once()
            if not loop:
                return
            time.sleep(interval)

    def run_once(self) -> None:
        now = timezone.now()
        reminders = services.send_due_reminders(now)
        purged = 0
        # cache.add is atomic: only one scheduler per day runs the purge (any cache backend works).
        if cache.add(f"academy:purge:{now:%Y-%m-%d}", 1, PURGE_EVERY):
            purged = services.purge_expired_personal_data(now)
        from academy.competences.services import send_hr_digests  # monthly HR digests, once per officer
        send_hr_digests(timezone.localdate(now))
        from webinars.teams import scheduled_pass  # Teams: missing meetings, syncs, attendance imports
        scheduled_pass(now)
        sent = deliver_pending()
        self.stdout.write(f"{timezone.localtime(now):%Y-%m-%d %H:%M} reminders={reminders} sent={sent} "
                          f"purged={purged}")
