"""Project plumbing: settings fall back to the embedded defaults, production passes --deploy,
the admin works, demo content loads idempotently, validators catch bad tax codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from academy.courses.models import CoursePage
from academy.network.models import Organisation
from academy.network.validators import (
    is_valid_codice_fiscale,
    is_valid_partita_iva,
    validate_codice_fiscale,
)
from cms import demo

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_", "TEAMS_"))}
    clean.update(DJANGO_SETTINGS_MODULE="academy.settings", **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=120)


def test_embedded_defaults_with_nothing_set():
    out = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, s.TASKS['default']['BACKEND'],"
        " s.TEAMS['BACKEND'], s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["django.db.backends.sqlite3", "django.core.mail.backends.console.EmailBackend",
                                  "django_tasks.backends.immediate.ImmediateBackend", "dry-run",
                                  "Europe/Rome", "it"]


def test_database_url_selects_postgresql_and_rq_tasks():
    out = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.TASKS['default']['BACKEND'])",
        DATABASE_URL="postgres://u@db.example:5432/academy", TASKS_BACKEND="rq",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["django.db.backends.postgresql", "academy", "academy.core.task_backends.OnCommitRQBackend"]


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements():
    code = ("import django; django.setup(); from django.conf import settings as s;"
            "o = s.DATABASES['default']['OPTIONS']; print(o['server_side_binding'], o['prepare_threshold'])")
    url = "postgres://u@db.example:5432/academy"
    assert run_python(code, DATABASE_URL=url).stdout.split() == ["True", "5"]
    # Behind a pooler that does not track prepared statements they can be switched off.
    assert run_python(code, DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="off").stdout.split() == ["True", "None"]


def test_production_refuses_to_start_without_secret_key():
    out = run_python("import django; django.setup()", DJANGO_DEBUG="0")
    assert out.returncode != 0 and "SECRET_KEY must be set" in out.stderr


def test_production_settings_pass_check_deploy():
    env = {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 30 + "-production-secret-key-for-the-check-0123456789",
           "ALLOWED_HOSTS": "academy.example.coop", "SITE_URL": "https://academy.example.coop"}
    out = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**{k: v for k, v in os.environ.items()
                                 if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}, **env})
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.django_db
def test_demo_content_is_idempotent_and_has_upcoming_and_past():
    demo.load_all()
    counts = (Page.objects.count(), Organisation.objects.count(), CoursePage.objects.count())
    demo.load_all()
    assert (Page.objects.count(), Organisation.objects.count(), CoursePage.objects.count()) == counts
    titles = set(CoursePage.objects.values_list("title", flat=True))
    assert "La gestione della privacy tra tutela della salute e rispetto degli adempimenti" in titles
    assert "Masterclass per la nuova classe dirigente cooperativa" in titles
    from django.utils import timezone

    now = timezone.now()
    assert CoursePage.objects.filter(last_ends_at__gte=now).exists()
    assert CoursePage.objects.filter(last_ends_at__lt=now).exists()


@pytest.mark.django_db
def test_admin_login_and_page_tree(client, site, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.coop", "pw-12345!")
    assert client.get("/admin/").status_code == 302
    client.login(username="boss", password="pw-12345!")
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{site.programme.pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/webinars/webinarpage/{site.programme.pk}/").status_code == 200


def test_tax_code_validators():
    for org in demo.ORGANISATIONS:
        assert is_valid_partita_iva(org[3]), org

    assert is_valid_codice_fiscale("RSSMRA85T10A562S")
    assert not is_valid_codice_fiscale("RSSMRA85T10A562T")
    assert is_valid_partita_iva("01405780196")
    assert not is_valid_partita_iva("12345678901")
    with pytest.raises(ValidationError):
        validate_codice_fiscale("XXXXXXXXXXXXXXXX")
