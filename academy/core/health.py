"""Liveness and readiness for load balancers: ``/healthz`` says the process answers (nothing else is
touched), ``/readyz`` says whether it can serve, checking the database and, when configured, Redis
(the cache and the task queues). A failed check answers 503, so a balancer stops sending traffic."""

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


CHECKS = {"database": _database, "cache": _cache, "queues": _queues}


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
    return JsonResponse({"ready": ready, **results}, status=200 if ready else 503)
