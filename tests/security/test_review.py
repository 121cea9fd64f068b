"""Findings of the code review, pinned by tests: redirects stay on the site, state changes need POST and
a CSRF token, no template marks user input safe, verification is rate-limited, production settings are
safe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
PROJECT_DIRS = ["academy", "certificates", "cms", "masterclass", "webinars", "templates"]


def _project_files(*suffixes: str):
    for folder in PROJECT_DIRS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example/x", "/\\/evil.example", "https://evil.example/",
                                    "/\t/evil.example"])
def test_register_and_cancel_never_redirect_off_site(world, client, target):
    client.force_login(world.registrant.user)
    response = client.post(reverse("registrations:register", args=[world.other_course.pk]), {"next": target})
    location = response["Location"]
    assert response.status_code == 302
    assert location.startswith("/") and not location.startswith(("//", "/\\", "/\t")), location
    assert "evil.example" not in location


def test_register_follows_a_same_site_next(world, client):
    client.force_login(world.registrant.user)
    response = client.post(reverse("registrations:register", args=[world.other_course.pk]),
                           {"next": "/it/my-academy/?tab=1"})
    assert response["Location"] == "/it/my-academy/?tab=1"


def test_no_csrf_exemptions_anywhere():
    offenders = [str(p) for p in _project_files(".py") if "csrf_exempt" in p.read_text()]
    assert not offenders


def test_state_changing_posts_need_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.registrant.user)
    for url, data in [(reverse("registrations:cancel", args=[world.registration.pk]), {}),
                      (reverse("registrations:erase"), {"confirm": "yes"}),
                      (reverse("registrations:register", args=[world.other_course.pk]), {"consent": "v1"})]:
        assert client.post(url, data).status_code == 403, url
    world.registration.refresh_from_db()
    assert world.registration.status == "confirmed"


def test_templates_never_mark_user_input_safe():
    """``|safe`` only on values the code builds (stylesheets, generated SVG), never on user fields."""
    allowed = {("certificates/certificate.html", "stylesheet"), ("certificates/certificate.html", "c.qr_svg")}
    found = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for var in re.findall(r"\{\{\s*([\w.]+)\s*\|\s*safe", path.read_text()):
            found.add((str(path.relative_to(ROOT / "templates")), var))
        assert "{% autoescape off" not in path.read_text(), path
    assert found <= allowed, found - allowed


def test_mark_safe_only_where_the_code_escapes():
    uses = {str(p.relative_to(ROOT)) for p in _project_files(".py") if "mark_safe(" in p.read_text()}
    assert uses <= {"academy/attendance/templatetags/attendance_tags.py", "academy/competences/views.py",
                    "masterclass/library.py"}, uses


def test_dashboard_escapes_names(world, client, make_person, member_org):
    from academy.network.models import HROfficer

    make_person(org=member_org, first_name="<script>alert(1)</script>", last_name="<b>X</b>")
    HROfficer.objects.create(user=world.trainer_user, organisation=member_org)
    client.force_login(world.trainer_user)
    page = client.get(reverse("hr:dashboard")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_verify_is_rate_limited(world, client, settings):
    settings.CERTIFICATES = {**settings.CERTIFICATES, "VERIFY_RATE_LIMIT": "3/m"}
    from django.core.cache import cache

    cache.clear()
    url = reverse("certificates:verify_code", args=["AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"])
    statuses = [client.get(url).status_code for _ in range(5)]
    assert statuses[-1] == 429 and 429 not in statuses[:3]


def test_downloads_are_private_attachments(world, client):
    client.force_login(world.registrant.user)
    for url in (reverse("certificates:pdf", args=[world.certificate.code]),
                reverse("registrations:calendar", args=[world.registration.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
    client.force_login(world.staff)
    response = client.get(reverse("hr:external_attachment", args=[world.training.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_production_settings_refuse_debug_defaults():
    """DJANGO_DEBUG=0 without SECRET_KEY refuses to start; with one, cookies are secure and DEBUG off."""
    code = ("import django; from django.conf import settings as s; django.setup(); "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
            "s.ALLOWED_HOSTS)")
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="academy.settings", DJANGO_DEBUG="0", PYTHONPATH=str(ROOT))
    bare = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert bare.returncode != 0 and "SECRET_KEY" in bare.stderr
    env.update(SECRET_KEY="x" * 50, ALLOWED_HOSTS="academy.example")
    ok = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert ok.stdout.split() == ["False", "True", "True", "True", "['academy.example']"], ok.stderr
