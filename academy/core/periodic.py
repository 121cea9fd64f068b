"""Periodic work by registration, the way pretix's ``periodic_task`` signal works.

``academy_scheduler`` sends ``periodic`` once per pass; each app connects its receivers beside its data
(in its ``tasks.py``). One receiver failing never stops the others: the failure is logged and reported.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

periodic = Signal()  # kwargs: now (aware datetime)


def run_periodic(now) -> list[tuple[str, BaseException]]:
    """Run every receiver once; return the failures (receiver name, exception) after logging them."""
    failures = []
    for receiver, result in periodic.send_robust(sender=None, now=now):
        if isinstance(result, BaseException):
            name = f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', receiver)}"
            logger.error("periodic step %s failed", name, exc_info=result)
            failures.append((name, result))
    return failures


def autodiscover() -> None:
    autodiscover_modules("tasks")
