"""Gunicorn settings for the Academy's app servers (``gunicorn academy.wsgi``, read from this
directory). Each value can be overridden on the command line or through the environment.

Threads, and a short GIL switch interval: a request of the Academy is mostly short PostgreSQL round
trips (a registration makes about ten), so each worker runs several threads to keep a core busy while
one waits for the database. With CPython's default switch interval (5 ms) a thread coming back from
the database may wait up to 5 ms for a busy sibling to hand over the GIL, at every round trip; in a
registration rush the cores then sit partly idle while requests queue (and the course lock is held
longer). Half a millisecond keeps the hand-over prompt; benchmarks/registration_rush.py measured the
rush's wall time about a fifth shorter for the same CPU.
"""

import os
import sys

# Loopback by default: the app server belongs behind the reverse proxy. Reached directly, a client could
# write its own X-Forwarded-For and choose the address the abuse limits see (ACADEMY_TRUSTED_PROXIES).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
backlog = 2048
switch_interval = float(os.environ.get("GUNICORN_SWITCH_INTERVAL", "0.0005"))


def post_fork(server, worker):
    sys.setswitchinterval(switch_interval)
