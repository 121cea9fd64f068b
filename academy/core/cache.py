"""Django's Redis cache backend, reusing its Redis client.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every cache call; redis-py fills each new
client's table of response callbacks (a couple of hundred entries), which costs more CPU than the
round trip to Redis. Sessions (``cached_db``) make one such call on every signed-in request. A
``redis.Redis`` is thread-safe and takes its connections from the pool, so one per pool is enough.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:  # two threads may both build one: harmless, the last one is kept
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
