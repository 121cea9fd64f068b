"""Webhooks through a receiver that dies: 1,000 registrations over real HTTP while the receiver is killed
(SIGKILL) and restarted midway; every event must arrive at least once with a valid signature.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/api_hooks_bench \\
        .venv/bin/python benchmarks/webhooks.py --attempts 1000

Builds the database, course, people and session cookies as ``registration_rush.py`` does (``rushlib``),
adds a staff webhook (every organisation) for ``registration.confirmed`` pointing at a plain-HTTP
receiver on the loopback (a subprocess that checks each signature and appends what it got to a file),
and starts gunicorn with ``WEBHOOKS_ALLOW_PRIVATE_TARGETS=1`` (production refuses loopback targets: the
switch exists only in this server's environment). A delivery loop in this process stands in for the
task workers and the scheduler (``academy.api.webhooks.deliver_pending``: claims, posts, backs off).
After 30% of the registrations the receiver is killed; after 70% it is started again. The run ends when
no event is pending (failed deliveries back off 30 s, 1 min, ... as in production) or after ``--timeout``. Prints the counts; the last line is ``key=value`` pairs.
Exits 1 if an event was lost or a signature was bad.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import local

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.registration_rush import server_env  # noqa: E402
from benchmarks.rushlib import free_port, prepare, recreate_database, wait_for  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/api_hooks_bench"

RECEIVER = r'''
import hashlib, hmac, http.server, json, os, sys
secret, out = os.environ["HOOK_SECRET"].encode(), open(os.environ["HOOK_LOG"], "a", buffering=1)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parts = dict(p.split("=", 1) for p in self.headers.get("Academy-Signature", "").split(","))
        good = hmac.compare_digest(parts.get("v1", ""), hmac.new(
            secret, parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest())
        out.write(json.dumps({"id": self.headers.get("Academy-Event-Id"), "ok": good,
                              "body_id": json.loads(body)["id"]}) + "\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
'''


def start_receiver(port: int, env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", RECEIVER, str(port)], env=env, start_new_session=True)
    time.sleep(0.5)
    return proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="the app server's port (default: a free one)")
    parser.add_argument("--receiver-port", type=int, default=0, help="the receiver's port (default: a free one)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for every delivery")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        parser.error("the benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    env = server_env(url)
    env["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = "1"
    os.environ.update(env)
    print(f"database: {url} (re-created)", flush=True)
    recreate_database(url)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], env=env,
                   check=True, cwd=ROOT)
    course_id, cookies = prepare(args.attempts, args.attempts)

    import requests
    from django.db import connections

    from academy.api import webhooks
    from academy.api.models import WebhookEndpoint, WebhookEvent

    receiver_port = args.receiver_port or free_port()
    endpoint = WebhookEndpoint.objects.create(url=f"http://127.0.0.1:{receiver_port}/hook", secret=os.urandom(32).hex(),
                                              events="registration.confirmed")
    log = Path(tempfile.mkdtemp(prefix="webhooks-bench-")) / "received.jsonl"
    receiver_env = {**os.environ, "HOOK_SECRET": endpoint.secret, "HOOK_LOG": str(log)}
    connections.close_all()

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "academy.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--threads", str(args.threads),
         "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
    receiver = start_receiver(receiver_port, receiver_env)
    stop = threading.Event()
    delivered = [0]

    def deliver_loop() -> None:  # the task workers and the scheduler, in one thread
        while not stop.is_set():
            delivered[0] += webhooks.deliver_pending()
            connections.close_all()
            time.sleep(0.2)

    started = time.perf_counter()
    restarts = 0
    try:
        wait_for(base + "/healthz", server)
        deliverer = threading.Thread(target=deliver_loop, daemon=True)
        deliverer.start()
        tls = local()
        done = [0]
        lock = threading.Lock()
        register_url = f"{base}/it/my-academy/register/{course_id}/"

        def attempt(cookie: tuple[str, str]) -> int:
            nonlocal receiver, restarts
            if not hasattr(tls, "s"):
                tls.s = requests.Session()
            sessionid, csrf = cookie
            response = tls.s.post(register_url, data={"consent": "2026-01", "csrfmiddlewaretoken": csrf},
                                  cookies={"sessionid": sessionid, "csrftoken": csrf},
                                  headers={"Accept": "application/json"}, timeout=60, allow_redirects=False)
            with lock:
                done[0] += 1
                if done[0] == int(args.attempts * 0.3):
                    os.killpg(receiver.pid, signal.SIGKILL)  # dies without answering what it is reading
                    receiver.wait()
                    print(f"receiver killed after {done[0]} registrations", flush=True)
                elif done[0] == int(args.attempts * 0.7):
                    receiver = start_receiver(receiver_port, receiver_env)
                    restarts += 1
                    print(f"receiver restarted after {done[0]} registrations", flush=True)
            return response.status_code

        with ThreadPoolExecutor(args.concurrency) as pool:
            codes = list(pool.map(attempt, cookies))
        rush_seconds = time.perf_counter() - started
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            pending = WebhookEvent.objects.filter(status=WebhookEvent.Status.PENDING).count()
            if not pending:
                break
            time.sleep(1)
        connections.close_all()
    finally:
        stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        try:
            os.killpg(receiver.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    seconds = time.perf_counter() - started

    expected = set(str(u) for u in WebhookEvent.objects.filter(endpoint=endpoint).values_list("uuid", flat=True))
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    received = [row["id"] for row in lines]
    unique = set(received)
    bad = sum(1 for row in lines if not row["ok"] or row["id"] != row["body_id"])
    lost = len(expected - unique)
    registrations = sum(1 for code in codes if code == 201)
    retried = WebhookEvent.objects.filter(endpoint=endpoint, attempts__gt=1).count()
    print(f"registrations answered 201: {registrations} of {args.attempts} in {rush_seconds:.1f} s; "
          f"receiver restarts: {restarts}; events retried after a failure: {retried}")
    print(f"registrations={registrations} events_expected={len(expected)} events_received_unique={len(unique)} "
          f"duplicates={len(received) - len(unique)} bad_signatures={bad} lost={lost} retried={retried} "
          f"seconds={seconds:.1f}")
    return 0 if lost == 0 and bad == 0 and len(expected) == registrations == args.attempts else 1


if __name__ == "__main__":
    sys.exit(main())
