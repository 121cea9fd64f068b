"""Liveness and readiness for load balancers: ``/healthz`` says the process answers (nothing else is
touched), ``/readyz`` says whether it can serve, checking the database, Redis when configured (the
cache and the task queues) and the private file storage (local folder or S3 bucket). A failed check
answers 503, so a balancer stops sending traffic.

The outbox backlog is reported too (``outbox``: ``ok`` or ``backlog (N older than M min)``) but does
not make the server unready: an SMTP outage is no reason to take app servers out of the balancer.
Alert on it from ``/metrics`` (``academy_outbox_oldest_unsent_seconds``), see docs/operations.md."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse


def healthz(request):
    """Liveness probe (and the benchmark's bare Django view): no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping:
        ping()


def _queues() -> None:
    if settings.TASKS["default"]["BACKEND"].endswith("RQBackend"):
        import django_rq

        django_rq.get_connection(settings.TASK_QUEUES[0]).ping()


def _storage() -> None:
    import os

    from .storage import private_storage

    storage = private_storage()
    location = getattr(storage, "location", None)
    if isinstance(location, str) and hasattr(storage, "path"):  # local folder: present and writable
        os.makedirs(location, exist_ok=True)  # as FileSystemStorage does on the first save
        if not os.access(location, os.W_OK):
            raise OSError("private storage folder missing or read-only")
    else:  # object storage: one HEAD request (a missing key is fine; no bucket or no access is not)
        storage.exists(".readyz")


def _outbox() -> str:
    import datetime

    from django.utils import timezone

    from .models import OutboxMessage

    minutes = getattr(settings, "OUTBOX_BACKLOG_MINUTES", 15)
    late = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED],
        created_at__lt=timezone.now() - datetime.timedelta(minutes=minutes)).count()
    return f"backlog ({late} older than {minutes} min)" if late else "ok"


CHECKS = {"database": _database, "cache": _cache, "queues": _queues, "storage": _storage}
REPORTS = {"outbox": _outbox}  # shown, never failing readiness


def readyz(request):
    """Readiness probe: each dependency ``ok`` or ``down`` (the error's type only: no addresses)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:
            results[name] = f"down ({type(exc).__name__})"
    ready = all(value == "ok" for value in results.values())
    for name, report in REPORTS.items():
        try:
            results[name] = report()
        except Exception as exc:
            results[name] = f"unknown ({type(exc).__name__})"
    return JsonResponse({"ready": ready, **results}, status=200 if ready else 503)
