"""Teams benchmark against the HTTPS Graph emulator with 10% of Graph calls answered 429/503.

    .venv/bin/python benchmarks/teams_invitations.py [--sessions 100] [--registrants 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/academy_teams_bench .venv/bin/python benchmarks/...

Uses its own throwaway database: a SQLite file in a temporary directory unless ``DATABASE_URL`` is
given (a PostgreSQL database named there is DROPPED and re-created), migrated from scratch; data are
made with ``bulk_create``. Three parts:

(a) a programme of ``--sessions`` online sessions gets its meetings through ``ensure_meetings``
    (JSON batches); each must exist exactly once in the emulator; ``meeting_calls`` counts the Graph
    HTTP calls spent (retries included, token requests excluded and printed separately);
(b) one webinar with ``--registrants`` confirmed registrants: each invitation is queued in the outbox
    with its join link, then delivered through an e-mail backend that fails ~10% of sends; the worker
    is killed (a BaseException) half-way and ``deliver_pending`` resumed until nothing is left;
    ``duplicates``/``missed`` count registrants who received more than one / no invitation carrying
    their join link;
(c) an attendance import of ``--registrants`` records served over several pages, plus, for a third of
    the attendees, a record carrying only their Entra id listed before the records that pair the id
    with their address: every attendee must match (``attendance_matched``), none stay unmatched.

Retry-After waits are honoured but shortened to at most ``--max-sleep`` seconds so the run stays
short; the waits Graph asked for are summed in ``retry_wait_requested``. The last line is::

    meetings_created=100 meeting_calls=.. invitations=1000 duplicates=0 missed=0 attendance_matched=1000 faults=.. elapsed=..

``faults`` counts what the run survived: Graph faults injected by the emulator (429/503 at random, a
batch answered after the client's timeout), the worker killed mid-chunk while creating meetings, the
e-mail sends that failed and the delivery worker killed half-way. ``duplicates`` and ``missed`` also
count meetings (a session with two meetings in Teams / none recorded).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

DELIVERED: list[tuple[str, str]] = []  # (recipient, body) of every e-mail that really left
STATE = {"fail_rate": 0.1, "kill_at": None, "rng": random.Random(7), "failed_sends": 0}


class WorkerKilled(BaseException):
    """The delivery worker dies (SIGKILL-like): nothing in the outbox code catches it."""


def _flaky_backend_class():
    from smtplib import SMTPDataError

    from django.core.mail.backends.base import BaseEmailBackend

    class FlakyBackend(BaseEmailBackend):
        """Refuses ~10% of sends with a temporary 451, like a flaky SMTP relay (a disconnect would now stop
        the whole batch, as a silent server should: issue 23); dies once when ``kill_at`` sends are reached."""

        def send_messages(self, email_messages):
            sent = 0
            for message in email_messages:
                if STATE["kill_at"] is not None and len(DELIVERED) >= STATE["kill_at"]:
                    STATE["kill_at"] = None
                    raise WorkerKilled
                if STATE["rng"].random() < STATE["fail_rate"]:
                    STATE["failed_sends"] += 1
                    raise SMTPDataError(451, b"4.3.0 Temporary failure, please retry")
                for recipient in message.to:
                    DELIVERED.append((recipient, message.body))
                sent += 1
            return sent

    return FlakyBackend


def recreate_postgres(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--registrants", type=int, default=1000)
    parser.add_argument("--fail-rate", type=float, default=0.1, help="Graph calls answered 429/503")
    parser.add_argument("--mail-fail-rate", type=float, default=0.1)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--max-sleep", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    started = time.monotonic()

    tmp = tempfile.TemporaryDirectory(prefix="teams-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/bench.sqlite3"
    if url.startswith("postgres"):
        recreate_postgres(url)
    os.environ.update({"DJANGO_SETTINGS_MODULE": "academy.settings", "DATABASE_URL": url, "TASKS_BACKEND": "dummy",
                       "TEAMS_BACKEND": "dry-run", "LOG_LEVEL": "WARNING", "DJANGO_DEBUG": "1"})
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} ({url.split('@')[-1]})")
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.monotonic() - started:.1f}s")
    settings.EMAIL_BACKEND = "benchmarks_flaky.FlakyBackend"
    module = type(sys)("benchmarks_flaky")
    module.FlakyBackend = _flaky_backend_class()
    sys.modules["benchmarks_flaky"] = module
    STATE["fail_rate"] = args.mail_fail_rate

    from tests.fakes.graph_emulator import GraphEmulator
    from webinars.graph.client import clear_app_cache

    clear_app_cache()
    with GraphEmulator(page_size=args.page_size, seed=args.seed) as emulator:
        emulator.faults.fail_rate = args.fail_rate
        emulator.faults.retry_after = 1
        results = run(args, emulator)
    elapsed = time.monotonic() - started
    results["elapsed"] = f"{elapsed:.1f}"
    print(f"Graph faults injected: {dict(emulator.faults.injected)}; e-mail sends failed: {STATE['failed_sends']}")
    print(" ".join(f"{k}={results[k]}" for k in ("meetings_created", "meeting_calls", "invitations", "duplicates",
                                                    "missed", "attendance_matched", "faults", "elapsed")))
    tmp.cleanup()


def run(args, emulator) -> dict:
    import datetime
    from collections import Counter
    from decimal import Decimal

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from academy.core.models import OutboxMessage
    from academy.core.outbox import deliver_pending
    from academy.courses.models import Session
    from academy.network.models import Organisation, Person
    from academy.registrations.invitations import send_invitation
    from academy.registrations.models import Registration
    from cms import demo
    from masterclass.models import MasterclassPage
    from webinars import teams
    from webinars.backends import GraphBackend
    from webinars.graph import GraphClient
    from webinars.models import GraphOperation, TeamsMeeting, WebinarPage

    # The configured backend is graph (join links are only given out for the configured backend's
    # meetings), aimed at the emulator.
    settings.TEAMS = {**settings.TEAMS, **{k.removeprefix("TEAMS_"): v for k, v in emulator.env().items()},
                      "BACKEND": "graph"}
    waits: list[float] = []
    clients: list = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(min(seconds, args.max_sleep))

    def new_client(**kwargs):
        clients.append(GraphClient(emulator.config(**{k: v for k, v in kwargs.items() if k != "on_request"}),
                                   sleep=sleep, on_request=kwargs.get("on_request")))
        return clients[-1]

    client = new_client()
    backend = GraphBackend(client)
    client.acquire_token()  # discovery + token, not counted as meeting calls
    ctx = demo.DemoContext(today=timezone.localdate())
    demo.load_site(ctx)
    start_day = timezone.localdate() + datetime.timedelta(days=10)

    # (a) a programme of N online sessions ---------------------------------------------------------
    t0 = time.monotonic()
    programme = MasterclassPage(title="Programma 2026: ciclo di webinar", slug="ciclo-2026", capacity=None,
                                hours=Decimal(args.sessions))
    ctx.programme.add_child(instance=programme)
    demo.publish(programme)
    Session.objects.bulk_create([
        Session(course=programme, title=f"Incontro {i + 1}", mode=Session.Mode.ONLINE,
                starts_at=demo.rome(start_day + datetime.timedelta(days=i), 15),
                ends_at=demo.rome(start_day + datetime.timedelta(days=i), 16, 30), sort_order=i)
        for i in range(args.sessions)
    ])
    before = client.call_counts["graph"]
    sessions = list(programme.sessions.all())
    # A first batch that Graph executes but answers after the client's timeout (outcome unknown) ...
    emulator.faults.slow_batch(1, seconds=2.0)
    first = teams.ensure_meetings(sessions, backend=GraphBackend(new_client(timeout=1.0)))
    # ... then a worker killed right after Graph answered its second batch ...
    batches = []

    def die_mid_chunk(method, url, status, elapsed):
        if url.endswith("/$batch") and status == 200:
            batches.append(url)
            if len(batches) == 2:
                raise WorkerKilled

    crashes = 0
    try:
        teams.ensure_meetings(sessions, backend=GraphBackend(new_client(on_request=die_mid_chunk)))
    except WorkerKilled:
        crashes += 1
    # ... and the scheduler's later passes (backoff elapsed) recover through createOrGet.
    result = first
    for _round in range(6):
        GraphOperation.objects.filter(status=GraphOperation.Status.FAILED).update(next_attempt_at=None)
        result = teams.ensure_meetings(sessions, backend=backend)
        if not teams.sessions_needing_meetings(sessions, backend_name=backend.name).exists():
            break
    meeting_calls = sum(c.call_counts["graph"] for c in clients) - before
    stored = TeamsMeeting.objects.filter(session__course=programme)
    remote_by_external = Counter(m.get("externalId") for m in emulator.meetings.values())
    meetings_created = sum(1 for m in stored if remote_by_external[m.external_id] == 1
                           and m.meeting_id in emulator.meetings)
    meeting_duplicates = sum(n - 1 for n in remote_by_external.values() if n > 1)
    meetings_missed = args.sessions - meetings_created
    faults = sum(emulator.faults.injected.values()) + crashes
    print(f"(a) first pass {len(first.failed)} failed (timed-out batch), 1 worker killed mid-chunk; recovery "
          f"{len(result.meetings)} recorded, {len(result.failed)} failed, {len(emulator.meetings)} meetings in "
          f"Teams ({meeting_duplicates} duplicates), {meeting_calls} Graph calls ({len(waits)} waits, "
          f"{sum(waits):.0f}s requested) in {time.monotonic() - t0:.1f}s")

    # (b) one webinar, N confirmed registrants, flaky e-mail, a killed worker ------------------------
    t0 = time.monotonic()
    webinar = WebinarPage(title="La gestione della privacy tra tutela della salute e adempimenti",
                          slug="privacy-salute", capacity=None, hours=Decimal("1.5"))
    ctx.programme.add_child(instance=webinar)
    demo.publish(webinar)
    day = start_day + datetime.timedelta(days=3)
    session = Session.objects.create(course=webinar, mode=Session.Mode.ONLINE, starts_at=demo.rome(day, 10),
                                     ends_at=demo.rome(day, 11, 30))
    teams.ensure_meetings([session], backend=backend)
    join_url = TeamsMeeting.objects.get(session=session).join_url
    org = Organisation.objects.create(name="Cooperativa Sociale Il Girasole", email_domains="girasole.coop")
    people = Person.objects.bulk_create([
        Person(first_name=f"Nome{i}", last_name=f"Cognome{i}", email=f"persona{i}@girasole.coop", organisation=org,
               email_verified=True, preferred_language="it" if i % 5 else "en")
        for i in range(args.registrants)
    ])
    Registration.objects.bulk_create([
        Registration(course=webinar, person=p, status=Registration.Status.CONFIRMED) for p in people
    ])
    registrations = list(Registration.objects.filter(course=webinar).select_related("person"))
    for chunk in range(0, len(registrations), 200):
        with transaction.atomic():
            for registration in registrations[chunk:chunk + 200]:
                registration.course = webinar
                send_invitation(registration, "confirmed")
                send_invitation(registration, "confirmed")  # a retried task: the outbox key dedupes it
    queued = OutboxMessage.objects.filter(key__contains=":confirmed:").count()
    print(f"(b) {queued} invitations queued in {time.monotonic() - t0:.1f}s")
    STATE["kill_at"] = args.registrants // 2
    try:
        deliver_pending(limit=10_000)
    except WorkerKilled:
        print(f"    worker killed after {len(DELIVERED)} deliveries")
    # Each round is a later scheduler pass: failed sends wait for their backoff (1 minute, doubling, at
    # most an hour), so the pass runs as if that much time had gone by.
    rounds = 0
    while OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists() and rounds < 30:
        deliver_pending(limit=10_000, now=timezone.now() + datetime.timedelta(hours=rounds + 1))
        rounds += 1
    per_recipient = Counter(to for to, body in DELIVERED if join_url in body)
    emails = [p.email for p in people]
    invitations = sum(1 for e in emails if per_recipient[e] == 1)
    duplicates = sum(max(0, per_recipient[e] - 1) for e in emails)
    missed = sum(1 for e in emails if per_recipient[e] == 0)
    print(f"    delivered {len(DELIVERED)} e-mails after {rounds} resume rounds in {time.monotonic() - t0:.1f}s")

    # (c) attendance import over several pages ---------------------------------------------------------
    t0 = time.monotonic()
    meeting = TeamsMeeting.objects.get(session=session)
    rng = random.Random(args.seed)
    # A third of the attendees also have a record carrying only their Entra id (Teams gives guests'
    # records no address), listed BEFORE the records that pair the id with the address.
    id_only = [{"user_id": f"entra-{i}", "seconds": rng.randrange(60, 600), "name": e.split("@")[0]}
               for i, e in enumerate(emails) if i % 3 == 1]
    emulator.add_attendance_report(meeting.meeting_id, id_only + [
        {"email": e.upper() if i % 3 == 0 else e, "seconds": rng.randrange(60, 5400), "name": e.split("@")[0],
         **({"user_id": f"entra-{i}"} if i % 3 == 1 else {})}
        for i, e in enumerate(emails)
    ])
    imported = teams.import_attendance(session, backend=backend)
    pages = sum(1 for r in emulator.requests if r.kind == "graph" and r.path.endswith("/attendanceRecords"))
    print(f"(c) matched={imported.matched} unmatched={imported.unmatched} records={imported.records} "
          f"({len(id_only)} with the Entra id only, listed first) over {pages} page requests "
          f"in {time.monotonic() - t0:.1f}s")
    print(f"retry_wait_requested={sum(waits):.0f}s token_calls={client.call_counts['identity']}")
    return {"meetings_created": meetings_created, "meeting_calls": meeting_calls, "invitations": invitations,
            "duplicates": duplicates + meeting_duplicates, "missed": missed + meetings_missed,
            "attendance_matched": imported.matched, "faults": faults + STATE["failed_sends"] + 1}


if __name__ == "__main__":
    main()
