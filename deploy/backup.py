"""Back up and restore the Academy: the PostgreSQL database (pg_dump custom format) and the private
files (the S3 bucket, object by object, or the PRIVATE_ROOT folder). See docs/operations.md.

    python deploy/backup.py dump    --database postgres://... --bucket academy-private --to /var/backups/academy/2026-12-02
    python deploy/backup.py restore --database postgres://.../academy_restored --bucket academy-restored --from /var/backups/academy/2026-12-02

The bucket is read with the usual AWS_* variables (AWS_S3_ENDPOINT_URL for a non-Amazon provider);
``--folder`` instead of ``--bucket`` copies a PRIVATE_ROOT folder. A restore goes into a NEW database
and a NEW bucket (created here), never over the live ones; point the settings at them afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse


def s3_client():
    import boto3

    return boto3.client("s3", endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                        region_name=os.environ.get("AWS_S3_REGION_NAME") or None)


def dump_database(url: str, target: Path) -> Path:
    path = target / "academy.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}", url],
                   check=True)
    return path


def restore_database(url: str, source: Path) -> None:
    """Create the (new, empty) database of ``url`` and restore the dump into it."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{name}"'], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={url}",
                    str(source / "academy.dump")], check=True)


def dump_bucket(bucket: str, target: Path) -> int:
    client, count = s3_client(), 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            path = target / "bucket" / item["Key"]
            path.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, item["Key"], str(path))
            count += 1
    return count


def restore_bucket(bucket: str, source: Path) -> int:
    client, count = s3_client(), 0
    region = os.environ.get("AWS_S3_REGION_NAME")
    client.create_bucket(Bucket=bucket, **({"CreateBucketConfiguration": {"LocationConstraint": region}}
                                           if region and region != "us-east-1" else {}))
    root = source / "bucket"
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        client.upload_file(str(path), bucket, path.relative_to(root).as_posix())  # private: no ACL given
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["dump", "restore"])
    parser.add_argument("--database", required=True)
    files = parser.add_mutually_exclusive_group(required=True)
    files.add_argument("--bucket")
    files.add_argument("--folder", type=Path)
    parser.add_argument("--to", type=Path)
    parser.add_argument("--from", dest="source", type=Path)
    args = parser.parse_args(argv)
    if args.action == "dump":
        if not args.to:
            parser.error("dump needs --to")
        args.to.mkdir(parents=True, exist_ok=True)
        dump_database(args.database, args.to)
        count = dump_bucket(args.bucket, args.to) if args.bucket else len(
            shutil.copytree(args.folder, args.to / "private", dirs_exist_ok=True) and
            [p for p in (args.to / "private").rglob("*") if p.is_file()])
        print(f"dumped the database and {count} files to {args.to}")
    else:
        if not args.source:
            parser.error("restore needs --from")
        restore_database(args.database, args.source)
        if args.bucket:
            count = restore_bucket(args.bucket, args.source)
        else:
            shutil.copytree(args.source / "private", args.folder)
            count = sum(1 for p in args.folder.rglob("*") if p.is_file())
        print(f"restored the database and {count} files from {args.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
