"""Backup drill: back up a live Academy (database + private bucket), restore both into a NEW database
and a NEW bucket, and check that a certificate issued before the backup still verifies and downloads,
byte for byte, from the restored copy.

    .venv/bin/python benchmarks/backup_drill.py

Uses the machine's PostgreSQL (two throwaway databases, dropped at the end), moto's S3 server on
loopback for the buckets, and deploy/backup.py (pg_dump / pg_restore and the object copy) as an
operator would. The last line is ``key=value`` pairs; exit 1 if any check fails.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.rushlib import free_port, recreate_database  # noqa: E402
from deploy.backup import dump_bucket, dump_database, restore_bucket, restore_database  # noqa: E402

SOURCE = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/academy_drill"
CHECK = r"""
import hashlib, django
django.setup()
from django.test import Client
from django.urls import reverse
from certificates.models import Certificate, private_storage
c = Certificate.objects.select_related("person__user").get(code=CODE)
present = private_storage.exists(c.pdf.name)  # before the download: the PDF must come from the bucket
client = Client(HTTP_HOST="127.0.0.1")
verify = client.get(reverse("certificates:verify_code", args=[c.code]))
client.force_login(c.person.user)
pdf = client.get(reverse("certificates:pdf", args=[c.code]))
body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
print("RESULT", verify.status_code, c.get_status_display().lower() in verify.content.decode().lower(),
      present, pdf.status_code, hashlib.sha256(body).hexdigest())
"""


def drop(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def main() -> int:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log
    port = free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    s3.start()
    restored = urlparse(SOURCE)._replace(path=urlparse(SOURCE).path + "_restored").geturl()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.update({"DJANGO_SETTINGS_MODULE": "academy.settings", "PYTHONPATH": str(ROOT), "DATABASE_URL": SOURCE,
                "AWS_STORAGE_BUCKET_NAME": "academy-live", "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                "AWS_S3_REGION_NAME": "eu-south-1", "AWS_ACCESS_KEY_ID": "drill", "AWS_SECRET_ACCESS_KEY": "drill",
                "TASKS_BACKEND": "immediate", "REDIS_URL": "", "LOG_LEVEL": "WARNING",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    os.environ.update(env)
    try:
        from deploy.backup import s3_client

        s3_client().create_bucket(Bucket="academy-live",
                                  CreateBucketConfiguration={"LocationConstraint": "eu-south-1"})
        drop(restored)
        recreate_database(SOURCE)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        code, digest = issue_one()
        print(f"live: certificate {code} issued, its PDF in bucket academy-live (sha256 {digest[:16]}...)")

        with tempfile.TemporaryDirectory(prefix="academy-backup-") as folder:
            target = Path(folder)
            dump_database(SOURCE, target)
            objects = dump_bucket("academy-live", target)
            print(f"backup: pg_dump {(target / 'academy.dump').stat().st_size // 1024} KiB, {objects} objects")
            restore_database(restored, target)
            copied = restore_bucket("academy-restored", target)
            print(f"restore: new database {urlparse(restored).path.lstrip('/')}, new bucket academy-restored "
                  f"({copied} objects)")

        check_env = {**env, "DATABASE_URL": restored, "AWS_STORAGE_BUCKET_NAME": "academy-restored",
                     "PRIVATE_SIGNED_URL_SECONDS": "0"}
        result = subprocess.run([sys.executable, "-c", CHECK.replace("CODE", repr(code))], cwd=ROOT,
                                env=check_env, capture_output=True, text=True, timeout=120)
        line = next((ln for ln in result.stdout.splitlines() if ln.startswith("RESULT")), "")
        if not line:
            print(result.stderr[-3000:], file=sys.stderr)
            return 1
        _, verify_status, shows_valid, present, pdf_status, restored_digest = line.split()
        identical = restored_digest == digest
        print(f"restored copy: verify page {verify_status} (shows valid: {shows_valid}), PDF in the new bucket: "
              f"{present}, download {pdf_status}, identical: {identical}")
        print(f"objects={objects} verify_status={verify_status} verify_valid={int(shows_valid == 'True')} "
              f"pdf_in_bucket={int(present == 'True')} pdf_status={pdf_status} pdf_identical={int(identical)}")
        ok = verify_status == "200" and shows_valid == "True" and present == "True" and pdf_status == "200" and identical
        return 0 if ok else 1
    finally:
        from django.db import connections

        connections.close_all()
        for url in (SOURCE, restored):
            drop(url)
        s3.stop()


def issue_one() -> tuple[str, str]:
    """The demo site, a past course and a certificate for one member, rendered and stored as issuing does."""
    import datetime

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from academy.courses.models import Session
    from academy.network.models import Person
    from certificates.models import Certificate, private_storage
    from certificates.services.content import CourseFacts
    from certificates.services.delivery import render_and_deliver
    from certificates.services.issuing import new_certificate
    from certificates.services.rules import Eligibility
    from cms import demo
    from webinars.models import WebinarPage

    ctx = demo.DemoContext(today=timezone.localdate())
    demo.load_site(ctx)
    demo.load_network(ctx)
    page = WebinarPage(title="Privacy nelle cooperative", slug="privacy-drill", capacity=50, hours=2)
    start = demo.rome(ctx.today - datetime.timedelta(days=7), 15)
    page.sessions.add(Session(starts_at=start, ends_at=start + datetime.timedelta(minutes=120)))
    ctx.programme.add_child(instance=page)
    demo.publish(page)
    user = get_user_model().objects.create_user("drill@gruppogamma.coop", "drill@gruppogamma.coop", "pw-12345!")
    person = Person.objects.create(user=user, first_name="Chiara", last_name="Drill", email=user.email,
                                   organisation=ctx.organisations["Cooperativa Gruppo Gamma"], email_verified=True)
    facts = CourseFacts.load(page)
    certificate = new_certificate(page, person, Eligibility(person_id=person.pk, minutes=120, planned=120, threshold=75, eligible=True,
                                              hours=page.hours),
                                  facts, timezone.now())
    certificate.save()
    render_and_deliver([certificate], facts)
    certificate = Certificate.objects.get(pk=certificate.pk)
    with private_storage.open(certificate.pdf.name, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    return certificate.code, digest


if __name__ == "__main__":
    sys.exit(main())
