"""The ``SECRET_KEY`` rule, read by the settings before Django is set up (so: no Django imports).

Outside production a missing key is replaced by a random one kept in a local, git-ignored file, so every
install signs with its own key and sessions survive a restart. Production refuses to start without an
explicit key of its own: a key in a file nobody chose, or one published with the code, would let anyone
forge verification links and check-in tokens.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# Keys that shipped with the code at some point: never accepted in production.
PUBLISHED_KEYS = frozenset({"django-insecure-academy-embedded-only-never-in-production"})
MIN_PRODUCTION_LENGTH = 50  # Django's own check (security.W009) asks for at least this many characters


class InsecureKey(RuntimeError):
    pass


def secret_key(given: str, *, production: bool, key_file: Path) -> str:
    """The key to use: ``given`` when set (checked in production), else the local file's (created once)."""
    given = given.strip()
    if production:
        if not given:
            raise InsecureKey("SECRET_KEY must be set in production (ACADEMY_ENV=production or DJANGO_DEBUG=0)")
        if given in PUBLISHED_KEYS or given.startswith("django-insecure") or len(given) < MIN_PRODUCTION_LENGTH:
            raise InsecureKey("SECRET_KEY is a published or insecure key: set a random one of at least "
                              f"{MIN_PRODUCTION_LENGTH} characters")
        return given
    return given or _local_key(key_file)


def _local_key(path: Path) -> str:
    """Read the per-install key, writing a new random one first if there is none. Several processes may
    start at once (test workers, app servers): the file is written aside and linked into place, so each
    either creates it whole or reads the one another made."""
    try:
        key = path.read_text().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    try:
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink()
    return path.read_text().strip()
