"""Send pending and failed e-mails from the outbox (safe to run from cron or several workers)."""

from django.core.management.base import BaseCommand

from academy.core.outbox import deliver_pending


class Command(BaseCommand):
    help = "Deliver pending outbox e-mails."

    def handle(self, *args, **options):
        self.stdout.write(f"sent={deliver_pending()}")
