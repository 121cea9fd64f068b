"""The Redis cache backend behaves as Django's and keeps one Redis client per connection pool."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

REDIS = "redis://127.0.0.1:6379/9"


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_redis_cache_round_trips_and_reuses_its_client():
    with override_settings(CACHES={"default": {"BACKEND": "academy.core.cache.RedisCache", "LOCATION": REDIS}}):
        cache = caches.create_connection("default")
        key = f"test:{uuid.uuid4().hex}"
        assert cache.get(key) is None
        cache.set(key, {"seats": 3}, 30)
        assert cache.get(key) == {"seats": 3}
        assert cache.add(f"{key}:n", 1) and not cache.add(f"{key}:n", 5)
        assert cache.incr(f"{key}:n") == 2 and cache.get(f"{key}:n") == 2
        cache.delete_many([key, f"{key}:n"])
        assert cache.get(key) is None
        client = cache._cache
        assert client.get_client(key) is client.get_client("another") is client.get_client(key, write=True)
