"""The Academy's Prometheus metrics, beside django-prometheus' request metrics.

Two kinds:

* **State read at scrape time** from the database and Redis, so every app server reports the same
  figures whatever process answers: outbox messages by status (pending, failed, undelivered) and the
  age of the oldest unsent one, task queue lengths, and what apps register through ``register``
  (registrations by status, certificates issued: see ``academy/registrations/metrics.py`` and
  ``certificates/metrics.py``, discovered like the periodic steps, so the core imports no app).
* **Events counted where they happen**: Graph calls by kind and HTTP status (``graph_request``, called
  by ``webinars.graph.transport``). Graph calls happen in workers, not in the app server that is
  scraped, so with Redis configured the counts are kept in a Redis hash shared by all processes;
  without Redis (embedded) they are kept in the process.

Served by ``academy.core.metrics_view.metrics`` at ``/metrics`` (token or staff only).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

logger = logging.getLogger(__name__)

GRAPH_KEY = "academy:metrics:graph_requests"

# name -> (help, kind "gauge" | "counter", label names, fn returning {label values tuple: value})
Source = Callable[[], dict[tuple[str, ...], float]]
_SOURCES: dict[str, tuple[str, str, tuple[str, ...], Source]] = {}
_local_graph: Counter[str] = Counter()
_local_lock = threading.Lock()


def register(name: str, help_text: str, fn: Source, *, labels: Iterable[str] = (), kind: str = "gauge") -> None:
    """Offer a metric computed at scrape time (``fn`` returns ``{(label values...): value}``)."""
    _SOURCES[name] = (help_text, kind, tuple(labels), fn)


def autodiscover() -> None:
    autodiscover_modules("metrics")


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=1)


def graph_request(kind: str, status: int | None) -> None:
    """Count one Graph (or identity platform) HTTP attempt; ``status`` None is a connection error."""
    field = f"{kind}|{status if status is not None else 'connection_error'}"
    if getattr(settings, "REDIS_URL", ""):
        try:
            _redis().hincrby(GRAPH_KEY, field, 1)
            return
        except Exception:  # Redis down: count here rather than lose it
            logger.debug("graph metric kept in process", exc_info=True)
    with _local_lock:
        _local_graph[field] += 1


def graph_counts() -> dict[tuple[str, str], int]:
    counts: Counter[str] = Counter()
    with _local_lock:
        counts.update(_local_graph)
    if settings.REDIS_URL:
        try:
            counts.update({k.decode(): int(v) for k, v in _redis().hgetall(GRAPH_KEY).items()})
        except Exception:
            logger.debug("graph metric unreadable", exc_info=True)
    return {tuple(field.split("|", 1)): n for field, n in counts.items()}  # type: ignore[misc]


def _outbox() -> dict[tuple[str, ...], float]:
    from django.db.models import Count

    from .models import OutboxMessage

    rows = dict(OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT)
                .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {(status,): float(rows.get(status, 0)) for status in ("pending", "sending", "failed", "undelivered")}


def _outbox_oldest() -> dict[tuple[str, ...], float]:
    from django.db.models import Min

    from .models import OutboxMessage

    oldest = (OutboxMessage.objects.filter(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING,
                                                     OutboxMessage.Status.FAILED])
              .aggregate(m=Min("created_at"))["m"])
    return {(): (timezone.now() - oldest).total_seconds() if oldest else 0.0}


def _queues() -> dict[tuple[str, ...], float]:
    if not settings.TASKS["default"]["BACKEND"].endswith("RQBackend"):
        return {}
    import django_rq

    return {(name,): float(django_rq.get_queue(name).count) for name in settings.TASK_QUEUES}


register("academy_outbox_messages", "Outbox e-mails not (yet) sent, by status", _outbox, labels=["status"])
register("academy_outbox_oldest_unsent_seconds", "Age of the oldest pending or failed outbox e-mail", _outbox_oldest)
register("academy_task_queue_length", "Jobs waiting in each task queue (RQ)", _queues, labels=["queue"])
register("academy_graph_requests", "Microsoft Graph and identity HTTP attempts by kind and status",
         lambda: {k: float(v) for k, v in graph_counts().items()}, labels=["kind", "status"], kind="counter")


class AcademyCollector(Collector):
    """Collects every registered source; a failing source is skipped (and counted), not a failed scrape."""

    def collect(self):
        errors = GaugeMetricFamily("academy_metrics_source_errors", "Sources that failed in this scrape",
                                   labels=["source"])
        for name, (help_text, kind, labels, fn) in sorted(_SOURCES.items()):
            try:
                values = fn()
            except Exception as exc:
                logger.warning("metric %s unavailable: %s", name, type(exc).__name__)
                errors.add_metric([name], 1)
                continue
            family = (CounterMetricFamily if kind == "counter" else GaugeMetricFamily)(name, help_text,
                                                                                       labels=list(labels))
            for label_values, value in sorted(values.items()):
                family.add_metric(list(label_values), value)
            yield family
        yield errors


def academy_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(AcademyCollector())
    return registry
