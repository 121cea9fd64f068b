"""Gunicorn settings for the Academy's app servers (``gunicorn academy.wsgi``, read from this
directory). Each value can be overridden on the command line or through the environment.

Threaded workers: a request of the Academy is mostly short PostgreSQL round trips, so each worker runs
a few threads to keep a core busy while one waits for the database. Everything else is gunicorn's
default (benchmarks/registration_rush.py measures the rush with these settings).
"""

import os

# Loopback by default: the app server belongs behind the reverse proxy. Reached directly, a client could
# write its own X-Forwarded-For and choose the address the abuse limits see (ACADEMY_TRUSTED_PROXIES).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
