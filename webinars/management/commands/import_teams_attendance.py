"""``manage.py import_teams_attendance --session ID`` or ``--due``: read Teams attendance reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from academy.courses.models import Session
from webinars import teams
from webinars.graph import GraphError


class Command(BaseCommand):
    help = "Import Microsoft Teams attendance (one session, or every session ended 30+ minutes ago)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--session", type=int, help="Session id to import (re-import replaces).")
        group.add_argument("--due", action="store_true", help="All ended sessions not imported yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["due"]:
            outcome = teams.import_due_attendance()
            for session_id, result in outcome.items():
                self.stdout.write(f"session {session_id}: {self._describe(result)}")
            self.stdout.write(f"{len(outcome)} session(s) processed")
            return
        session = Session.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(f"No session {options['session']}")
        try:
            result = teams.import_attendance(session)
        except (GraphError, teams.TeamsError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"session {session.pk}: {self._describe(result)}")

    @staticmethod
    def _describe(result: teams.ImportResult | str) -> str:
        if isinstance(result, str):
            return f"failed: {result}"
        return (f"matched={result.matched} unmatched={result.unmatched} replaced={result.replaced} "
                f"reports={result.reports} records={result.records}")
