"""Create the Academy office's first admin account if there is none, and print its login."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a superuser for the Academy office (embedded/demo use) and print its login."

    def handle(self, *args, **options):
        username = os.environ.get("ACADEMY_ADMIN_USER", "admin")
        password = os.environ.get("ACADEMY_ADMIN_PASSWORD", "academy-admin")
        user_model = get_user_model()
        if not user_model.objects.filter(username=username).exists():
            user_model.objects.create_superuser(username=username, email="admin@example.coop",
                                                password=password)
            self.stdout.write(self.style.SUCCESS(f"Admin created — user: {username}  password: {password}"))
        else:
            self.stdout.write(f"Admin exists — user: {username}  (password unchanged; default {password})")
        self.stdout.write("Log in at http://127.0.0.1:8000/admin/")
