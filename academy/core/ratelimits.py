"""Rate limits (django-ratelimit) with a stated policy for when the counters cannot be read.

The counters live in the cache (Redis in production). With ``RATELIMIT_FAIL_OPEN`` on, django-ratelimit
answers "no usage" (``None``) when the cache fails instead of limiting everything; each endpoint then
says what it does without its counter: ``fail_open=True`` lets the request through (sign-up, certificate
verification), ``False`` refuses it (password reset, which e-mails an existing person: without its
counters it could flood a mailbox). The choices are listed in ``docs/reliability.md``.
"""

from __future__ import annotations

from django_ratelimit.core import get_usage


def over_limit(request, *, group: str, key, rate, fail_open: bool, increment: bool = True) -> bool:
    """Count this request (``increment``) and say whether it is over ``rate`` for its ``key``; when the
    counter cannot be read, ``not fail_open``."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
    if usage is None:  # the cache failed (RATELIMIT_FAIL_OPEN): the endpoint's own policy
        return not fail_open
    return bool(usage["should_limit"])


def retry_after(request, *, group: str, key, rate) -> int:
    """Seconds until the window of ``key`` ends (for a ``Retry-After`` header); 60 if unknown."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
    return max(1, usage["time_left"]) if usage else 60
