"""Periodic work by registration, the way pretix's ``periodic_task`` signal works.

``academy_scheduler`` sends ``periodic`` once per pass; each app connects its receivers beside its data
(in its ``tasks.py``); the outbox is delivered last. One receiver failing never stops the others: the
failure is logged and reported.
"""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.dispatch import Signal
from django.utils.module_loading import autodiscover_modules

from .outbox import deferred_delivery, deliver_pending
from .outbox_alerts import alert_staff

logger = logging.getLogger(__name__)

periodic = Signal()  # kwargs: now (aware datetime)


def run_periodic(now) -> list[tuple[str, BaseException]]:
    """Run every receiver once, then deliver the outbox; return the failures (step name, exception)
    after logging them.

    The e-mails the steps queue are delivered by the last step, not inside the steps (``deferred_delivery``):
    a mail server that does not answer then costs one ``EMAIL_TIMEOUT`` at the end of the pass and never
    holds up reminders, digests or Teams work.
    """
    failures = []
    with deferred_delivery():
        results = periodic.send_robust(sender=None, now=now)
    try:
        results.append((deliver_outbox, deliver_outbox(sender=None, now=now)))
    except Exception as exc:
        results.append((deliver_outbox, exc))
    for receiver, result in results:
        if isinstance(result, BaseException):
            name = f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', receiver)}"
            logger.error("periodic step %s failed", name, exc_info=result)
            failures.append((name, result))
    return failures


def deliver_outbox(sender, now, **kwargs) -> int:
    """The pass's last step: deliver what the outbox holds (this pass's messages, first attempts that
    found no task worker, retries of failed sends) and tell staff about the messages given up on."""
    with deferred_delivery():
        alerted = alert_staff(now)  # the alert itself leaves with the rest, just below
    sent = deliver_pending()
    logger.info("outbox: %s sent, %s newly undelivered reported to staff", sent, alerted)
    return sent


def at_most_every(name: str, seconds: int, now: datetime.datetime) -> bool:
    """Whether the step ``name`` should run in this pass: True for the first pass of each ``seconds``-long
    window (counted from the epoch, so a day is a UTC day), across every scheduler sharing the cache
    (``cache.add`` is atomic). With the cache unreachable it answers False: the step waits for a pass
    that can tell, rather than running in every one."""
    return cache.add(f"periodic:{name}:{int(now.timestamp()) // seconds}", 1, seconds)


def autodiscover() -> None:
    autodiscover_modules("tasks")
