"""The Academy through PgBouncer in transaction pooling (Debian's pgbouncer on loopback, two server
connections shared by four client connections): with ``DATABASE_POOLER=pgbouncer`` repeated statements
from both clients work (no named prepared statements), and the course lock (a transaction-level
advisory lock) still excludes a second holder and is released at commit. Without the setting and with
statements prepared at once, the same workload fails ("prepared statement ... does not exist / already
exists"): the test can tell the difference. (The pooler here ignores the ``options`` startup
parameter, which the settings leave out behind PgBouncer anyway, so only prepared statements differ.)"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="needs PostgreSQL"),
    pytest.mark.skipif(PGBOUNCER is None, reason="pgbouncer not installed (apt-get install pgbouncer)"),
]

WORKLOAD = r"""
import threading, time, django
django.setup()
from django.db import connection, transaction
from academy.core.locking import LockTimeout, lock_course, lock_objects
from academy.network.models import Organisation

errors = []
def queries():
    try:
        for n in range(15):
            list(Organisation.objects.filter(pk=n, name__startswith="x"))
            with transaction.atomic():
                list(Organisation.objects.filter(pk=n + 1, name__startswith="y"))
    except Exception as exc:
        errors.append(exc)
    finally:
        connection.close()
threads = [threading.Thread(target=queries) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
if errors:
    raise SystemExit(f"QUERIES FAILED: {errors[0]!r}")

held, release = threading.Event(), threading.Event()
def holder():
    with transaction.atomic():
        lock_course(424242)
        held.set()
        release.wait(10)
    connection.close()
t = threading.Thread(target=holder); t.start(); held.wait(10)
try:
    with transaction.atomic():
        lock_objects(exclusive=[424242], timeout_ms=300)
    raise SystemExit("LOCK NOT EXCLUSIVE")
except LockTimeout:
    pass
release.set(); t.join()
with transaction.atomic():
    lock_objects(exclusive=[424242], timeout_ms=2000)
print("POOLED OK")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def pgbouncer(db):
    name = connection.settings_dict["NAME"]
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="academy-pgbouncer-"))
    (folder / "users.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(f"""[databases]
{name} = host=127.0.0.1 port={connection.settings_dict.get('PORT') or 5432} dbname={name}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 20
ignore_startup_parameters = extra_float_digits,options
""")
    os.chmod(folder, 0o755)
    for item in folder.iterdir():
        os.chmod(item, 0o644)
    command = [PGBOUNCER, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "nobody"]  # pgbouncer refuses to run as root
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"pgbouncer did not start: {process.stdout.read().decode()}")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/{name}"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def run_workload(url: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PYTEST"))}
    environment.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "academy.settings",
                        "TASKS_BACKEND": "immediate", "REDIS_URL": "", **env})
    return subprocess.run([sys.executable, "-c", WORKLOAD], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_the_academy_works_through_pgbouncer_in_transaction_pooling(pgbouncer):
    result = run_workload(pgbouncer, DATABASE_POOLER="pgbouncer")
    assert result.returncode == 0 and "POOLED OK" in result.stdout, result.stdout + result.stderr[-3000:]


def test_prepared_statements_break_behind_the_pooler_without_the_setting(pgbouncer):
    result = run_workload(pgbouncer, DATABASE_PREPARE_THRESHOLD="0")
    assert result.returncode != 0
    assert "prepared statement" in result.stderr, result.stderr[-3000:]
