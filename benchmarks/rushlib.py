"""What the registration rushes share (benchmarks/registration_rush.py against one gunicorn,
benchmarks/topology.py through nginx and two app servers): a throwaway database, the demo site with
one course and many eligible people holding logged-in session cookies, and small helpers."""

from __future__ import annotations

import secrets
import socket
import subprocess
import time
from urllib.parse import urlparse


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(attempts: int, capacity: int) -> tuple[int, list[tuple[str, str]]]:
    """Demo site, one course, ``attempts`` eligible people with session cookies (sessionid, csrf).

    Sessions are created through the configured engine's ``SessionStore`` (cached_db with Redis), so
    they sit in the cache as after a real login."""
    import datetime

    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.cache import cache
    from django.utils import timezone

    from academy.courses.models import Session
    from academy.network.models import Person
    from cms import demo
    from webinars.models import WebinarPage

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    cache.clear()  # the benchmark's own Redis database: no sessions or site root paths of an earlier run
    ctx = demo.DemoContext(today=timezone.localdate())
    demo.load_site(ctx)
    demo.load_network(ctx)
    page = WebinarPage(title="Webinar della corsa", slug="webinar-corsa", capacity=capacity)
    start = demo.rome(ctx.today + datetime.timedelta(days=10), 15)
    page.sessions.add(Session(starts_at=start, ends_at=start + datetime.timedelta(minutes=90)))
    ctx.programme.add_child(instance=page)
    demo.publish(page)
    page.refresh_schedule()

    User = get_user_model()
    password = make_password(None)  # unusable: the benchmark logs in through sessions
    users = User.objects.bulk_create([
        User(username=f"rush{i}@gruppogamma.coop", email=f"rush{i}@gruppogamma.coop", password=password)
        for i in range(attempts)])
    org = ctx.organisations["Cooperativa Gruppo Gamma"]
    Person.objects.bulk_create([
        Person(user=u, first_name=f"Persona{i}", last_name="Corsa", email=u.email, organisation=org,
               email_verified=True) for i, u in enumerate(users)])
    cookies = []
    # The backend that loads users (django-axes' comes first in the list but only guards logins).
    from django.utils.module_loading import import_string

    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user"))
    for user in users:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = backend
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        cookies.append((store.session_key, secrets.token_hex(16)))  # 32-char CSRF secret
    return page.pk, cookies


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]
