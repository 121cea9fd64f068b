"""``manage.py attendance_register <course-slug> [--session N] --format pdf|xlsx -o FILE``: a session's
attendance register (the same file staff download), or with ``--summary`` the plan summary."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy.attendance.services import counted_sessions
from academy.courses.models import CoursePage
from academy.funding.services import documents
from academy.funding.services.registers import plan_of, plan_summary, session_register


class Command(BaseCommand):
    help = "Write a session's attendance register (PDF or XLSX), or the plan summary."

    def add_arguments(self, parser):
        parser.add_argument("course_slug")
        parser.add_argument("--session", type=int, default=None,
                            help="Session number, 1 for the first (needed when the course has several).")
        parser.add_argument("--format", choices=documents.FORMATS, default="pdf")
        parser.add_argument("--summary", action="store_true", help="The summary of the course's funded plan.")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, course_slug: str, session: int | None, format: str, summary: bool, output: str,
               **options):
        pages = CoursePage.objects.filter(slug=course_slug)
        course = next((p.specific.canonical for p in pages), None)
        if course is None:
            raise CommandError(f"No course with slug {course_slug!r}.")
        plan = plan_of(course)
        if summary:
            if plan is None:
                raise CommandError("The course belongs to no funded plan.")
            data = plan_summary(plan)
            content = documents.summary_pdf(data) if format == "pdf" else documents.summary_xlsx(data)
        else:
            sessions = counted_sessions(course)
            if not sessions:
                raise CommandError("The course has no sessions.")
            if session is None and len(sessions) > 1:
                raise CommandError(f"The course has {len(sessions)} sessions: choose one with --session 1..{len(sessions)}.")
            number = session or 1
            if not 1 <= number <= len(sessions):
                raise CommandError(f"--session must be between 1 and {len(sessions)}.")
            register = session_register(sessions[number - 1], plan)
            content = documents.register_pdf(register) if format == "pdf" else documents.register_xlsx(register)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content)} bytes")
