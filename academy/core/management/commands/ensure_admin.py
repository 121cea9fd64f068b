"""Create the Academy office's first admin account if there is none, and print its login.

For the demo and embedded use. In production (``settings.PRODUCTION``) the README's default password is
public knowledge, so the command refuses unless asked explicitly (``--allow-production``) with the
password in ``ACADEMY_ADMIN_PASSWORD``, and it never prints that password.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEFAULT_PASSWORD = "academy-admin"


class Command(BaseCommand):
    help = "Create a superuser for the Academy office (embedded/demo use) and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true",
                            help="Run in production too (needs ACADEMY_ADMIN_PASSWORD).")

    def handle(self, *args, allow_production: bool = False, **options):
        username = os.environ.get("ACADEMY_ADMIN_USER", "admin")
        password = os.environ.get("ACADEMY_ADMIN_PASSWORD", "")
        production = getattr(settings, "PRODUCTION", False)
        if production:
            if not allow_production:
                raise CommandError("Production mode: ensure_admin creates an account only with --allow-production "
                                   "and a password in ACADEMY_ADMIN_PASSWORD.")
            if not password or password == DEFAULT_PASSWORD:
                raise CommandError("Production mode: set ACADEMY_ADMIN_PASSWORD to a password of your own.")
        password = password or DEFAULT_PASSWORD
        shown = "from ACADEMY_ADMIN_PASSWORD" if production else password
        user_model = get_user_model()
        if not user_model.objects.filter(username=username).exists():
            user_model.objects.create_superuser(username=username, email="admin@example.coop",
                                                password=password)
            self.stdout.write(self.style.SUCCESS(f"Admin created — user: {username}  password: {shown}"))
        else:
            self.stdout.write(f"Admin exists — user: {username}  (password unchanged)")
        if not production:
            self.stdout.write("Log in at http://127.0.0.1:8000/admin/")
