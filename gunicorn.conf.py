"""Gunicorn settings for the Academy's app servers (``gunicorn academy.wsgi``, read from this
directory). Each value can be overridden on the command line or through the environment.

Threaded workers: a request of the Academy is mostly short PostgreSQL round trips, so each worker runs
a few threads to keep a core busy while one waits for the database. Everything else is gunicorn's
default (benchmarks/registration_rush.py measures the rush with these settings).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
