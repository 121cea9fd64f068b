"""``manage.py graph_emulator``: run the local Microsoft Graph emulator in the foreground.

For demos and manual testing without a Microsoft 365 tenant: the Academy (TEAMS_BACKEND=graph) talks
to the emulator exactly as it would to Entra ID and Graph -- msal discovery and token, real HTTPS
with a throw-away CA -- so the whole webinar flow can be shown on a laptop.
"""

from __future__ import annotations

import shlex
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tests.fakes.graph_emulator import GraphEmulator


class Command(BaseCommand):
    help = "Run a local HTTPS emulator of Entra ID + Microsoft Graph (Teams online meetings) for demos."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Interface to bind (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8443, help="Port (default 8443; 0 = any free port).")
        parser.add_argument("--tenant-id", default="00000000-0000-4000-8000-00000000a1a1")
        parser.add_argument("--client-id", default="11111111-1111-4111-8111-111111111111")
        parser.add_argument("--client-secret", default="emulator-secret")
        parser.add_argument("--organizer-user-id", default="22222222-2222-4222-8222-222222222222")
        parser.add_argument("--page-size", type=int, default=100, help="Items per page of attendance lists.")
        parser.add_argument(
            "--fail-rate",
            type=float,
            default=0.0,
            help="Probability (0-1) of answering a Graph call with 429/503, to demo retries.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        emulator = GraphEmulator(
            host=options["host"],
            port=options["port"],
            tenant_id=options["tenant_id"],
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            organizer_user_id=options["organizer_user_id"],
            page_size=options["page_size"],
        )
        emulator.faults.fail_rate = options["fail_rate"]
        try:
            emulator.start()
        except OSError as exc:
            raise CommandError(f"Cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Graph emulator listening on {emulator.base_url}"))
        self.stdout.write("Set these variables for the Academy (the CA bundle is new on every start):\n")
        for name, value in emulator.env().items():
            self.stdout.write(f"export {name}={shlex.quote(value)}")
        self.stdout.write("\nPress Ctrl+C to stop.")
        try:
            emulator.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopping.")
        finally:
            emulator.stop()
