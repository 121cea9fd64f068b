"""The production topology on loopback, and a registration rush through it with failures.

    .venv/bin/python benchmarks/topology.py            # about 3-5 minutes on two shared cores
    .venv/bin/python benchmarks/topology.py --attempts 10000 --capacity 1000 --p95-limit 1.0   # national case

Starts, each on its own loopback port and in a temporary folder: nginx with deploy/nginx/academy.conf
(ports and folders substituted), two gunicorn app servers reaching PostgreSQL through PgBouncer
(transaction pooling, deploy/pgbouncer), two RQ workers and a scheduler (directly to PostgreSQL), an
SMTP sink (aiosmtpd) and the Graph emulator (Teams meetings over HTTPS), against the machine's
PostgreSQL (a throwaway database, re-created) and Redis (a database number of its own, flushed).

Before the rush it checks, anonymously through nginx, that a public Wagtail document is served and one
of a restricted collection is refused, and that neither is served by its file name under /media/.

Then ``--attempts`` people register at once through nginx for ``--capacity`` seats; a third of the way
in, one app server and one worker are killed with SIGKILL and the worker is restarted (nginx moves
traffic to the surviving app server). A person whose request failed tries again, as anyone would.
When every confirmation has been delivered it prints the readiness and metrics, and a last line
``confirmed= waitlisted= overbooked= duplicates= emails_missing= emails_duplicated= errors_5xx= p95_s=
per_second=`` (p95: latency of every registration request, retries included, as the person waits for
it; per_second: people answered per second of the rush); it exits 1 unless the figures are exact
(capacity confirmed, the rest waitlisted, nothing overbooked, duplicated, lost or e-mailed twice), the
documents check holds, 5xx answers are at most the requests in flight on the killed server and, when
``--p95-limit`` is given, p95 is within it (CI runs the default case on a loaded machine, without a
limit). Everything it starts, it stops.
"""

from __future__ import annotations

import argparse
import collections
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.rushlib import free_port, percentile, prepare, recreate_database, wait_for  # noqa: E402
from benchmarks.topologylib import Sink, check_documents, make_documents  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/academy_topology"
DEFAULT_REDIS = "redis://127.0.0.1:6379/6"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
PYTHON = sys.executable
BIN = Path(sys.executable).parent


class Topology:
    def __init__(self, args, folder: Path):
        self.args, self.folder = args, folder
        self.processes: dict[str, subprocess.Popen] = {}
        self.url = os.environ.get("DATABASE_URL") or DEFAULT_URL
        self.redis = args.redis
        names = ("nginx", "pgbouncer", "web1", "web2")
        self.ports = ({name: args.port_base + i for i, name in enumerate(names)} if args.port_base
                      else {name: free_port() for name in names})
        self.token = secrets.token_urlsafe(24)
        for sub in ("static", "media", "private", "nginx", "pgbouncer", "prom-web1", "prom-web2", "logs"):
            (folder / sub).mkdir(parents=True, exist_ok=True)

    # -- environments ---------------------------------------------------------------------------
    def env(self, *, pooled: bool, extra: dict | None = None) -> dict[str, str]:
        parsed = urlparse(self.url)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PROMETHEUS_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "academy.settings", "PYTHONPATH": str(ROOT), "ACADEMY_ENV": "production",
            "SECRET_KEY": self.secret, "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": f"http://127.0.0.1:{self.ports['nginx']}", "ACADEMY_TRUSTED_PROXIES": "1",
            "DATABASE_URL": (parsed._replace(netloc=f"{parsed.username or 'postgres'}@127.0.0.1:{self.ports['pgbouncer']}")
                             .geturl() if pooled else self.url),
            "DATABASE_POOLER": "pgbouncer" if pooled else "", "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": self.redis, "TASKS_BACKEND": "rq",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.sink.port), "EMAIL_USE_TLS": "0",
            "STATIC_ROOT": str(self.folder / "static"), "MEDIA_ROOT": str(self.folder / "media"),
            "PRIVATE_ROOT": str(self.folder / "private"), "PRIVATE_ACCEL_REDIRECT": "/_private/",
            "DOCUMENTS_ACCEL_REDIRECT": "/media/documents/",
            "METRICS_TOKEN": self.token, "LOG_LEVEL": "WARNING", "LOG_FORMAT": "json",
            **self.teams_env,
        })
        env.update(extra or {})
        return env

    # -- processes ------------------------------------------------------------------------------
    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.folder / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def start_pgbouncer(self) -> None:
        parsed = urlparse(self.url)
        name = parsed.path.lstrip("/")
        folder = self.folder / "pgbouncer"
        (folder / "users.txt").write_text(f'"{parsed.username or "postgres"}" ""\n')
        (folder / "pgbouncer.ini").write_text(f"""[databases]
{name} = host={parsed.hostname} port={parsed.port or 5432} dbname={name} connect_query='SET statement_timeout = 30000'
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.ports['pgbouncer']}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
default_pool_size = 12
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
""")
        for path in (self.folder, folder, *folder.iterdir()):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        command = [PGBOUNCER, str(folder / "pgbouncer.ini")]
        if os.geteuid() == 0:
            command[1:1] = ["-u", "nobody"]  # pgbouncer refuses to run as root
        self.spawn("pgbouncer", command)

    def start_web(self, name: str) -> None:
        env = self.env(pooled=True, extra={"PROMETHEUS_MULTIPROC_DIR": str(self.folder / f"prom-{name}")})
        self.spawn(name, [str(BIN / "gunicorn"), "academy.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
                          "-b", f"127.0.0.1:{self.ports[name]}", "-w", str(self.args.workers),
                          "--threads", str(self.args.threads), "--log-level", "warning"], env)

    def start_worker(self, name: str) -> None:
        self.spawn(name, [PYTHON, "manage.py", "academy_worker"], self.env(pooled=False))

    def start_scheduler(self) -> None:
        self.spawn("scheduler", [PYTHON, "manage.py", "academy_scheduler", "--loop", "--interval", "5"],
                   self.env(pooled=False))

    def start_nginx(self) -> None:
        """deploy/nginx/academy.conf as shipped, with this run's ports and folders, inside a minimal
        nginx.conf of its own (pid, logs and temp files in the temporary folder)."""
        folder = self.folder / "nginx"
        site = (ROOT / "deploy/nginx/academy.conf").read_text()
        site = (site.replace("127.0.0.1:8001", f"127.0.0.1:{self.ports['web1']}")
                .replace("127.0.0.1:8002", f"127.0.0.1:{self.ports['web2']}")
                .replace("listen 80;", f"listen 127.0.0.1:{self.ports['nginx']};")
                .replace("/srv/academy/", f"{self.folder}/")
                .replace("/etc/nginx/academy_proxy.conf", str(folder / "academy_proxy.conf")))
        (folder / "academy.conf").write_text(site)
        shutil.copy(ROOT / "deploy/nginx/academy_proxy.conf", folder / "academy_proxy.conf")
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/academy.conf;
}}
""")
        for path in [self.folder, *self.folder.rglob("*")]:  # nginx's workers run as nobody under root
            os.chmod(path, 0o777 if path.is_dir() else 0o644)
        self.spawn("nginx", [NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder)])


def rush(topology: Topology, course_id: int, cookies, kill_after: int):
    import requests

    base = f"http://127.0.0.1:{topology.ports['nginx']}"
    register_url = f"{base}/it/my-academy/register/{course_id}/"
    local = threading.local()
    codes: collections.Counter[int] = collections.Counter()
    latencies: list[float] = []  # seconds per registration request, retries included (a cut one until the cut)
    lock = threading.Lock()
    state = {"done": 0, "started": 0, "killed": False, "inflight_at_kill": 0, "server_errors": 0,
             "connection_errors": 0}

    def session() -> requests.Session:
        if not hasattr(local, "s"):
            local.s = requests.Session()
        return local.s

    def kill_midway() -> None:
        with lock:
            state["inflight_at_kill"] = state["started"] - state["done"]
        topology.kill("web1")          # SIGKILL to the master and its workers: requests in flight die
        topology.kill("worker1")       # a worker dies with the jobs it held
        topology.start_worker("worker1")
        print(f"  killed web1 and worker1 after {kill_after} answers "
              f"({state['inflight_at_kill']} requests in flight); worker1 restarted", flush=True)

    def attempt(cookie) -> int:
        sessionid, csrf = cookie
        with lock:
            state["started"] += 1
        status = 0
        for _try in range(20):
            sent = time.perf_counter()
            try:
                response = session().post(register_url, data={"consent": "2026-01", "csrfmiddlewaretoken": csrf},
                                          cookies={"sessionid": sessionid, "csrftoken": csrf},
                                          headers={"Accept": "application/json"}, timeout=60,
                                          allow_redirects=False)
                status = response.status_code
            except requests.RequestException:
                status = -1
            waited = time.perf_counter() - sent
            with lock:
                codes[status] += 1
                latencies.append(waited)
                if status >= 500:
                    state["server_errors"] += 1
                elif status == -1:
                    state["connection_errors"] += 1
            if status in (201, 409):  # registered now, or already (a retry of a request that went through)
                break
            time.sleep(0.2)  # busy (429), a server error or a cut connection: try again, like a person would
        with lock:
            state["done"] += 1
            trigger = state["done"] == kill_after and not state["killed"]
            if trigger:
                state["killed"] = True
        if trigger:
            kill_midway()
        return status

    started = time.monotonic()
    with ThreadPoolExecutor(topology.args.concurrency) as pool:
        finals = list(pool.map(attempt, cookies))
    state["latencies"] = latencies
    return finals, codes, state, time.monotonic() - started


def readiness_with_redis_down(topology: Topology) -> str:
    port = topology.args.port_base + 6 if topology.args.port_base else free_port()  # nobody listens there
    env = topology.env(pooled=False, extra={"REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    code = ("import django; django.setup(); from django.test import Client; "
            "r = Client(HTTP_HOST='127.0.0.1').get('/readyz'); print(r.status_code, r.content.decode())")
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes per app server")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--redis", default=os.environ.get("TOPOLOGY_REDIS_URL") or DEFAULT_REDIS,
                        help="Redis URL with a database of its own (flushed)")
    parser.add_argument("--port-base", type=int, default=0,
                        help="use ports from this one on (nginx, PgBouncer, two app servers, SMTP sink, Graph "
                             "emulator) instead of free ones")
    parser.add_argument("--p95-limit", type=float, default=None,
                        help="also fail when the p95 latency of registration requests exceeds this many seconds")
    args = parser.parse_args()
    for binary in (NGINX, PGBOUNCER):
        if not Path(binary).exists():
            print(f"{binary} is missing: apt-get install nginx pgbouncer", file=sys.stderr)
            return 2

    folder = Path(tempfile.mkdtemp(prefix="academy-topology-"))
    topology = Topology(args, folder)
    topology.secret = secrets.token_urlsafe(50)
    topology.sink = Sink(args.port_base + 4 if args.port_base else 0)
    from tests.fakes.graph_emulator import GraphEmulator

    emulator = GraphEmulator(port=args.port_base + 5 if args.port_base else 0)
    t0 = time.monotonic()
    try:
        topology.sink.start()
        emulator.start()
        topology.teams_env = emulator.env()
        direct = topology.env(pooled=False)
        os.environ.update(direct)
        import redis

        redis.Redis.from_url(topology.redis).flushdb()
        recreate_database(topology.url)
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=direct, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=direct,
                       check=True)
        course_id, cookies = prepare(args.attempts, args.capacity)
        documents = make_documents()
        from django.db import connections

        connections.close_all()
        print(f"prepared in {time.monotonic() - t0:.0f} s: database {topology.url}, Redis {topology.redis}, "
              f"folder {folder}", flush=True)

        topology.start_pgbouncer()
        for name in ("web1", "web2"):
            topology.start_web(name)
        for name in ("worker1", "worker2"):
            topology.start_worker(name)
        topology.start_scheduler()
        topology.start_nginx()
        base = f"http://127.0.0.1:{topology.ports['nginx']}"
        for name in ("web1", "web2"):
            wait_for(f"http://127.0.0.1:{topology.ports[name]}/readyz", topology.processes[name], timeout=90)
        wait_for(base + "/readyz", topology.processes["nginx"], timeout=30)
        import requests

        static = requests.get(base + "/static/wagtailadmin/css/core.css", timeout=10)
        print(f"nginx: /readyz 200, a static file {static.status_code} "
              f"({static.headers.get('Cache-Control', '')}), /_private/ from outside "
              f"{requests.get(base + '/_private/x', timeout=10).status_code}", flush=True)

        documents_ok, line = check_documents(base, documents)
        print(line, flush=True)

        finals, codes, state, elapsed = rush(topology, course_id, cookies, kill_after=args.attempts // 3)
        print(f"rush: {len(finals)} people in {elapsed:.1f} s through nginx; answers by status "
              f"{dict(sorted(codes.items()))}", flush=True)

        from django.db.models import Count

        from academy.core.models import OutboxMessage
        from academy.registrations.models import Registration

        regs = Registration.objects.filter(course_id=course_id)
        prefixes = {f"registration:{pk}:" for pk in regs.values_list("pk", flat=True)}
        deadline = time.monotonic() + 240 + args.attempts * 0.05  # the workers drain the outbox
        while time.monotonic() < deadline:
            unsent = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()
            if unsent == 0:
                break
            time.sleep(2)
        time.sleep(3)  # let a duplicate still on its way arrive
        confirmed = regs.filter(status="confirmed").count()
        waitlisted = regs.filter(status="waiting").count()
        overbooked = max(0, confirmed - args.capacity)
        duplicates = sum(row["n"] - 1 for row in regs.exclude(status="cancelled").values("person_id")
                         .annotate(n=Count("pk")).filter(n__gt=1))
        messages = {m.key: m for m in OutboxMessage.objects.filter(key__startswith="registration:")}
        by_registration = collections.defaultdict(list)
        for key, message in messages.items():
            prefix = ":".join(key.split(":")[:2]) + ":"
            if prefix in prefixes:
                by_registration[prefix].append(message)
        from academy.core.outbox import stable_message_id

        with topology.sink.lock:
            received = collections.Counter(mid for mid, _rcpt in topology.sink.received)
        expected = [stable_message_id(m) for ms in by_registration.values() for m in ms]
        emails_missing = (len(prefixes) - len(by_registration)) + sum(1 for mid in expected if received[mid] == 0)
        emails_duplicated = sum(received[mid] - 1 for mid in expected if received[mid] > 1)
        errors_5xx = state["server_errors"]
        p95 = percentile(state["latencies"], 95)
        per_second = len(finals) / elapsed if elapsed else 0.0

        print(f"delivered: {len(topology.sink.received)} e-mails in the sink for {len(expected)} outbox messages "
              f"of {len(prefixes)} registrations")
        print(f"5xx answers: {errors_5xx} (requests in flight on the killed server: {state['inflight_at_kill']}), "
              f"cut connections: {state['connection_errors']}")
        print(f"readiness with Redis down: {readiness_with_redis_down(topology)}")
        metrics = requests.get(base + "/metrics", headers={"Authorization": f"Bearer {topology.token}"}, timeout=30)
        print(f"metrics ({metrics.status_code}, through nginx from loopback, with the token; Academy figures "
              "and request counts):")
        for line in metrics.text.splitlines():
            if line.startswith(("academy_", "django_http_responses_total_by_status_total",
                                "django_http_requests_total_by_method_total")):
                print("  " + line)
        print(f"emulator: {len(emulator.meetings)} Teams meeting(s); "
              f"total time {time.monotonic() - t0:.0f} s")
        print(f"documents_refused_when_restricted={documents_ok}")
        print(f"confirmed={confirmed} waitlisted={waitlisted} overbooked={overbooked} duplicates={duplicates} "
              f"emails_missing={emails_missing} emails_duplicated={emails_duplicated} errors_5xx={errors_5xx} "
              f"p95_s={p95:.3f} per_second={per_second:.0f}")
        ok = (confirmed == min(args.capacity, args.attempts)
              and waitlisted == max(0, args.attempts - args.capacity)
              and overbooked == duplicates == emails_missing == emails_duplicated == 0
              and errors_5xx <= state["inflight_at_kill"] and documents_ok
              and (args.p95_limit is None or p95 <= args.p95_limit))
        return 0 if ok else 1
    finally:
        topology.stop_all()
        emulator.stop()
        topology.sink.stop()
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"logs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
