"""``manage.py oidc_emulator`` (only with ACADEMY_DEMO_EMULATORS=1): run the Microsoft sign-in emulator
in the foreground for the demo, with a registered tenant and one standing account; see
docs/operations.md, "Demo of the Microsoft sign-in"."""

from __future__ import annotations

import shlex
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tests.fakes.demo import sso


class Command(BaseCommand):
    help = "Run a local OpenID Connect emulator of Microsoft sign-in for the demo (a test double)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8443, help="Port on 127.0.0.1 (default 8443).")
        parser.add_argument("--http", action="store_true", help="Plain HTTP instead of HTTPS with a throw-away CA.")
        parser.add_argument("--organisation", default=sso.DEMO_ORGANISATION,
                            help="The organisation whose tenant the emulator is (registered now).")
        parser.add_argument("--tenant-id", default=sso.DEMO_TENANT)
        parser.add_argument("--email", default=sso.DEMO_EMAIL, help="The account that signs in.")
        parser.add_argument("--given-name", default="Anna")
        parser.add_argument("--family-name", default="Demo")
        parser.add_argument("--mfa", action="store_true", help="Tokens say MFA was performed (amr).")

    def handle(self, *args: Any, **options: Any) -> None:
        identity = sso.DemoIdentity(email=options["email"], given_name=options["given_name"],
                                    family_name=options["family_name"], tenant_id=options["tenant_id"],
                                    mfa=options["mfa"])
        try:
            emulator = sso.start(identity, organisation_name=options["organisation"], port=options["port"],
                                 tls=not options["http"])
        except sso.DemoSetupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Cannot listen on 127.0.0.1:{options['port']}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Microsoft sign-in emulator on {emulator.base_url}; tenant "
                                             f"{identity.tenant_id} registered for {options['organisation']}; "
                                             f"it signs in {identity.email}."))
        self.stdout.write("Start the Academy with these variables (the CA bundle is new on every start):\n")
        for name, value in sso.environment(emulator).items():
            self.stdout.write(f"export {name}={shlex.quote(value)}")
        if emulator.spki_sha256:
            self.stdout.write("\nThe browser does not know the emulator's CA: accept the warning once, or start "
                              f"Chromium with --ignore-certificate-errors-spki-list={emulator.spki_sha256}")
        self.stdout.write("\nPress Ctrl+C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            self.stdout.write("Stopping.")
        finally:
            emulator.stop()
