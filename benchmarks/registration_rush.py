"""Registration rush: many people register for one course at the same moment, over real HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/academy_bench \\
        .venv/bin/python benchmarks/registration_rush.py --attempts 1000 --capacity 300

Builds a throwaway PostgreSQL database (dropped and re-created, then migrated), a course with
``--capacity`` seats and ``--attempts`` distinct eligible people, each with a logged-in session
cookie; starts gunicorn (``academy.wsgi`` with the production ``gunicorn.conf.py``) on an ephemeral
port; measures a bare Django view (``/healthz``), fires every registration at once through the real
register endpoint with a thread pool at the same concurrency, and measures the bare view again (its
mean over both phases is the ratio's denominator: the speed of a shared machine drifts during a run).
The server runs as in production (``server_env``): DEBUG off, persistent database connections,
e-mails written and sent by the workers, not inside the request. Prints confirmed, waitlisted,
overbooked, duplicates, ``per_second`` (registrations answered per second during the rush), p50/p95
latency and ``ratio`` = mean registration latency / mean bare-view latency; the last line is
``key=value`` pairs. Exits 1 unless the counts are exact, p95 ≤ 1 s and the ratio ≤ 10 (an alarm).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import local

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.rushlib import free_port, percentile, prepare, recreate_database, wait_for  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/academy_bench"
# The rush is judged by what people feel: registrations answered per second and p95 latency (at most a
# second). The ratio to a bare Django view is a regression alarm only: above 10, something made the
# register endpoint itself expensive.
P95_LIMIT_S = 1.0
RATIO_ALARM = 10
# A Redis database of the benchmark's own (it is flushed at start): cache and cached_db sessions, as in
# production where REDIS_URL is set. Override with BENCH_REDIS_URL.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"


def server_env(url: str) -> dict[str, str]:
    """The server's environment, as in production: DEBUG off, persistent database connections, Redis
    cache and cached_db sessions (``REDIS_URL``), and e-mail delivery left to the background workers
    (``TASKS_BACKEND=dummy`` stands in for RQ: the request only writes the outbox row; nothing is sent
    inside the request)."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "academy.settings", "DATABASE_URL": url, "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL,
        "DJANGO_DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback: TLS ends at the proxy in production
        "TASKS_BACKEND": "dummy", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
    })
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=32)
    # 2 cores: three processes keep both busy while one waits on the database; four threads each
    # limit GIL hand-offs (8 threads per process measured ~15% worse). Same server for both endpoints.
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="the app server's port (default: a free one)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        parser.error("the benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    env = server_env(url)
    os.environ.update(env)
    print(f"database: {url} (re-created)", flush=True)
    recreate_database(url)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], env=env,
                   check=True, cwd=ROOT)
    course_id, cookies = prepare(args.attempts, args.capacity)

    import requests
    from django.db import connections

    connections.close_all()
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "academy.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--threads", str(args.threads),
         "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_for(base + "/healthz", server)
        tls = local()

        def session() -> requests.Session:
            if not hasattr(tls, "s"):
                tls.s = requests.Session()
            return tls.s

        def bare(_i: int) -> tuple[float, int]:
            t0 = time.perf_counter()
            response = session().get(base + "/healthz", timeout=60)
            return time.perf_counter() - t0, response.status_code

        register_url = f"{base}/it/my-academy/register/{course_id}/"

        def attempt(cookie: tuple[str, str]) -> tuple[float, int, str]:
            sessionid, csrf = cookie
            t0 = time.perf_counter()
            response = session().post(register_url, data={"consent": "2026-01", "csrfmiddlewaretoken": csrf},
                                      cookies={"sessionid": sessionid, "csrftoken": csrf},
                                      headers={"Accept": "application/json"}, timeout=60,
                                      allow_redirects=False)
            elapsed = time.perf_counter() - t0
            status = response.json().get("status", "") if response.status_code == 201 else ""
            return elapsed, response.status_code, status

        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(bare, range(args.concurrency * 4)))  # warm up connections and workers
            # Warm each worker's Django (URLconf, templates, DB connection) on the real endpoint path
            # without registering anybody: an anonymous request is redirected to the login page.
            list(pool.map(lambda _i: session().get(base + "/it/my-academy/", timeout=60, allow_redirects=False),
                          range(args.concurrency * 2)))
            # Bare view before and after the rush (A-B-A): a shared machine's speed drifts over a run,
            # and a bare phase on one side only would credit or charge the rush with that drift.
            bare_before = list(pool.map(bare, range(args.attempts)))
            rush_started = time.perf_counter()
            reg_results = list(pool.map(attempt, cookies))
            rush_seconds = time.perf_counter() - rush_started
            bare_after = list(pool.map(bare, range(args.attempts)))
            bare_results = bare_before + bare_after
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from django.db.models import Count

    from academy.registrations.models import Registration

    regs = Registration.objects.filter(course_id=course_id)
    confirmed = regs.filter(status="confirmed").count()
    waitlisted = regs.filter(status="waiting").count()
    duplicates = sum(row["n"] - 1 for row in regs.exclude(status="cancelled").values("person_id")
                     .annotate(n=Count("pk")).filter(n__gt=1))
    overbooked = max(0, confirmed - args.capacity)
    errors = sum(1 for _t, code, _s in reg_results if code not in (201,))
    bare_lat = [t for t, _c in bare_results]
    reg_lat = [t for t, _c, _s in reg_results]
    by_status = {s: [t for t, _c, status in reg_results if status == s] for s in ("confirmed", "waiting")}
    ratio = statistics.mean(reg_lat) / statistics.mean(bare_lat)
    per_second = len(reg_results) / rush_seconds
    p95 = percentile(reg_lat, 95)
    print(f"attempts: {args.attempts}, capacity: {args.capacity}, concurrency: {args.concurrency}, "
          f"gunicorn: {args.workers} workers x {args.threads} threads (gthread)")
    print("server env: DJANGO_DEBUG=0, DATABASE_CONN_MAX_AGE=60, TASKS_BACKEND=dummy (the request records the "
          "confirmation in the outbox; the workers write it, with its .ics, and send it, as with RQ in production)")
    print(f"bare view  : mean {statistics.mean(bare_lat) * 1000:.1f} ms, p50 {percentile(bare_lat, 50) * 1000:.1f} "
          f"ms, p95 {percentile(bare_lat, 95) * 1000:.1f} ms (before the rush {statistics.mean(t for t, _c in bare_before) * 1000:.1f} "
          f"ms, after {statistics.mean(t for t, _c in bare_after) * 1000:.1f} ms)")
    print(f"register   : mean {statistics.mean(reg_lat) * 1000:.1f} ms, p50 {percentile(reg_lat, 50) * 1000:.1f} "
          f"ms, p95 {percentile(reg_lat, 95) * 1000:.1f} ms, non-201 responses: {errors}")
    for name, values in by_status.items():
        if values:
            print(f"  {name:9}: {len(values)} responses, mean {statistics.mean(values) * 1000:.1f} ms, "
                  f"p95 {percentile(values, 95) * 1000:.1f} ms")
    print(f"rush       : {len(reg_results)} registrations answered in {rush_seconds:.2f} s = {per_second:.0f} per second")
    alarms = [text for failed, text in ((p95 > P95_LIMIT_S, f"p95 {p95 * 1000:.0f} ms > {P95_LIMIT_S * 1000:.0f} ms"),
                                        (ratio > RATIO_ALARM, f"ratio {ratio:.2f} > {RATIO_ALARM}"))
              if failed]
    if alarms:
        print("ALARM: " + "; ".join(alarms) + " (a regression of the register endpoint's cost)")
    print(f"confirmed={confirmed} waitlisted={waitlisted} overbooked={overbooked} duplicates={duplicates} "
          f"errors={errors} per_second={per_second:.0f} p50_ms={percentile(reg_lat, 50) * 1000:.1f} "
          f"p95_ms={p95 * 1000:.1f} ratio={ratio:.2f}")
    exact = overbooked == 0 and duplicates == 0 and confirmed == min(args.capacity, args.attempts)
    return 0 if exact and not alarms else 1


if __name__ == "__main__":
    sys.exit(main())
