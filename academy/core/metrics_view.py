"""``/metrics``: Prometheus text for django-prometheus' request metrics plus the Academy's own.

Not public, safe by default: with ``METRICS_TOKEN`` set, a scraper sends ``Authorization: Bearer
<token>``; without it only a signed-in member of the Academy office may read it (a browser check).
An address is no proof here: behind nginx every request comes from loopback. The nginx configuration
in deploy/ also refuses /metrics from outside.

With ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn with several processes; see docs/operations.md) the
request metrics are those of all the server's processes, not only the one that answers.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from .metrics import academy_registry
from .permissions import require_staff


def _allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    require_staff(request)
    return True


def _process_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@never_cache
def metrics(request):
    if not _allowed(request):
        raise PermissionDenied
    body = _process_metrics() + generate_latest(academy_registry())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
