"""Every network call has a deadline: a Redis (task queues) or an S3 endpoint that accepts the connection
and never answers makes the call fail after the configured timeout instead of hanging the process."""

from __future__ import annotations

import time

import pytest
import redis

from academy import settings as academy_settings
from tests.core.test_silent_smtp import SilentSMTP


@pytest.fixture
def silent():
    server = SilentSMTP()  # accepts, never answers: any protocol
    yield server
    server.close()


def test_the_task_queues_reach_redis_with_timeouts(settings, silent):
    url = settings.RQ_QUEUES["email"]["URL"]
    kwargs = redis.Redis.from_url(url).connection_pool.connection_kwargs
    assert 0 < kwargs["socket_connect_timeout"] <= 5 and 0 < kwargs["socket_timeout"] <= 10
    client = redis.Redis.from_url(academy_settings.redis_url_with_timeouts(f"redis://127.0.0.1:{silent.port}/0"))
    started = time.monotonic()
    with pytest.raises(redis.TimeoutError):
        client.lpush("academy-test:never", "x")
    assert time.monotonic() - started < kwargs["socket_timeout"] + 2


@pytest.mark.django_db
def test_a_silent_bucket_fails_after_the_timeout(settings, silent):
    pytest.importorskip("storages")
    from academy.core.storage import PrivateStorage

    assert all(0 < t <= 60 for t in settings.PRIVATE_S3_TIMEOUTS)
    settings.AWS_STORAGE_BUCKET_NAME = "academy-silent"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{silent.port}"
    settings.AWS_S3_REGION_NAME = "eu-south-1"
    settings.AWS_ACCESS_KEY_ID = settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.PRIVATE_S3_TIMEOUTS = (1, 1)
    started = time.monotonic()
    with pytest.raises(Exception, match="(?i)timeout|timed out"):
        PrivateStorage("materials").exists("nothing.pdf")
    # Three tries of a second each plus botocore's backoff between them (up to 1 s, then 2 s) and a loaded
    # machine's slack; without the timeouts one try alone would wait botocore's default 60 s.
    assert time.monotonic() - started < 20
