"""Load the demo content (idempotent): ``manage.py load_demo``."""

from django.core.management.base import BaseCommand

from cms import demo


class Command(BaseCommand):
    help = "Load demo content from the network's programme (safe to run again)."

    def handle(self, *args, **options):
        ctx = demo.load_all()
        created = ", ".join(ctx.log) if ctx.log else "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created})."))
