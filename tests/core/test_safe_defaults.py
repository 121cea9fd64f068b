"""Forgetting a variable is safe: no debug unless asked for, a per-install random key when none is
given, production refuses to start without a key of its own, and error reports never show the
passwords that service URLs carry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from academy.core.secretkey import InsecureKey, secret_key

ROOT = Path(__file__).resolve().parents[2]
SHOW = ("import django; from django.conf import settings as s; django.setup(); "
        "print(s.DEBUG, s.SECRET_KEY)")
GOOD_KEY = "k" * 20 + "-an-explicit-production-key-of-this-install-0123456789"


def run(code: str, tmp_path: Path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DATABASE_URL", "DJANGO_", "SECRET_KEY", "ACADEMY_ENV", "REDIS_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="academy.settings", SECRET_KEY_FILE=str(tmp_path / "key"), **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=120)


def test_nothing_set_means_no_debug_and_a_random_key_kept_in_a_private_file(tmp_path):
    first = run(SHOW, tmp_path)
    debug, key = first.stdout.split()
    assert debug == "False" and len(key) >= 50 and not key.startswith("django-insecure")
    assert (tmp_path / "key").read_text().strip() == key
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert run(SHOW, tmp_path).stdout.split() == ["False", key]  # the same key after a restart
    assert run(SHOW, tmp_path / "other").stdout.split()[1] != key  # another install, another key


def test_debug_only_when_asked_for(tmp_path):
    assert run(SHOW, tmp_path, DJANGO_DEBUG="1").stdout.split()[0] == "True"
    # Production never runs in debug, even when asked for.
    assert run(SHOW, tmp_path, DJANGO_DEBUG="1", ACADEMY_ENV="production",
               SECRET_KEY=GOOD_KEY).stdout.split() == ["False", GOOD_KEY]


@pytest.mark.parametrize("key", ["", "django-insecure-academy-embedded-only-never-in-production",
                                 "django-insecure-" + "x" * 60, "short-key"])
def test_production_refuses_to_start_without_a_key_of_its_own(tmp_path, key):
    out = run(SHOW, tmp_path, ACADEMY_ENV="production", SECRET_KEY=key)
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr
    assert not (tmp_path / "key").exists()  # no file key in production


def test_the_key_rule(tmp_path):
    with pytest.raises(InsecureKey):
        secret_key("", production=True, key_file=tmp_path / "k")
    assert secret_key(GOOD_KEY, production=True, key_file=tmp_path / "k") == GOOD_KEY
    assert secret_key("given", production=False, key_file=tmp_path / "k") == "given"


PASSWORD = "".join(["hun", "ter", "2"])  # never spelled out in the source the debug page quotes


def _url(where: str) -> str:
    return f"redis://:{PASSWORD}-{where}@redis.internal:6379/0"


def _fail():
    raise RuntimeError("boom")


def test_error_reports_hide_service_urls_and_passwords(settings):
    settings.DEBUG = True
    settings.REDIS_URL = _url("setting")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": _url("cache")}}
    request = RequestFactory().get("/boom")
    request.META["REDIS_URL"] = _url("environment")  # runserver copies os.environ into the request
    try:
        _fail()
    except RuntimeError:
        html = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()
    assert "boom" in html and "REDIS_URL" in html and PASSWORD not in html


def test_error_pages_are_plain_without_debug(client, settings, db):
    settings.DEBUG = False
    response = client.get("/it/does-not-exist-at-all/")
    assert response.status_code == 404 and b"settings.py" not in response.content
    assert b"DEBUG = True" not in response.content
