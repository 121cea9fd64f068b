"""A Redis cache that degrades instead of failing: with Redis down, reads miss, writes are dropped,
``add`` reports that the key was not added, and a warning is logged (once per pause).

The cache only speeds things up or spreads rate-limit counters between app servers; sessions are kept
in the database (see settings), so no page needs Redis to render. After a failure the cache is skipped
for ``RETRY_AFTER`` seconds, so a dead server costs one connection timeout per pause, not per call.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure


def _degrading(name: str, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # redis.ConnectionError, TimeoutError, ...
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("cache unavailable (%s: %s); degrading for %ss", type(exc).__name__, exc, RETRY_AFTER)
            return fallback(*args, **kwargs)

    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


def _value(value):
    return lambda *args, **kwargs: value


class DegradingRedisCache(RedisCache):
    """Django's Redis cache with each public cache method wrapped (the documented ``BaseCache`` API, the
    way a custom backend extends a built-in one); no private attribute of the backend is used, so a
    Django upgrade keeps it working. tests/core/test_redis_down.py holds the behaviour: pages, sign-in
    and the scheduler with Redis down."""

    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = (server.split(",")[0] if isinstance(server, str) else server[0]).strip()
        self._ping_options = {k: v for k, v in (params.get("OPTIONS") or {}).items()
                              if k in ("socket_connect_timeout", "socket_timeout")}

    get = _degrading("get", _default)
    set = _degrading("set", _value(None))
    add = _degrading("add", _value(False))
    touch = _degrading("touch", _value(False))
    delete = _degrading("delete", _value(False))
    get_many = _degrading("get_many", _value({}))
    set_many = _degrading("set_many", lambda data, *a, **k: list(data))
    delete_many = _degrading("delete_many", _value(None))
    has_key = _degrading("has_key", _value(False))
    incr = _degrading("incr", _value(None))
    decr = _degrading("decr", _value(None))
    clear = _degrading("clear", _value(False))

    def ping(self) -> None:
        """Raise unless Redis answers (readiness): a client of redis-py's own, with the cache's timeouts,
        outside the degrading wrapper."""
        import redis

        with redis.Redis.from_url(self._location, **self._ping_options) as client:
            client.ping()
