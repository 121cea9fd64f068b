"""Load the demo content (idempotent): ``manage.py load_demo``.

The demo creates accounts whose passwords the README lists. In production (``settings.PRODUCTION``) it
refuses unless asked explicitly (``--allow-production``) with ``ACADEMY_DEMO_PASSWORD`` set, which every
demo account then gets instead (``cms.demo.base.demo_password``).
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms import demo


class Command(BaseCommand):
    help = "Load demo content from the network's programme (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true",
                            help="Run in production too (needs ACADEMY_DEMO_PASSWORD for the demo accounts).")

    def handle(self, *args, allow_production: bool = False, **options):
        if getattr(settings, "PRODUCTION", False):
            if not allow_production:
                raise CommandError("Production mode: load_demo runs only with --allow-production and a password "
                                   "for the demo accounts in ACADEMY_DEMO_PASSWORD.")
            if not os.environ.get("ACADEMY_DEMO_PASSWORD"):
                raise CommandError("Production mode: set ACADEMY_DEMO_PASSWORD (the README's demo passwords are "
                                   "public).")
        ctx = demo.load_all()
        created = ", ".join(ctx.log) if ctx.log else "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created})."))
