"""Production mode: the demo commands refuse to create accounts with the README's passwords, and the app
server listens on loopback unless told otherwise (issue 23 item 12)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.delenv("ACADEMY_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("ACADEMY_DEMO_PASSWORD", raising=False)
    return monkeypatch


def test_ensure_admin_refuses_in_production_without_flag_and_password(production):
    with pytest.raises(CommandError):
        call_command("ensure_admin")
    with pytest.raises(CommandError):
        call_command("ensure_admin", "--allow-production")  # no password of one's own
    production.setenv("ACADEMY_ADMIN_PASSWORD", "academy-admin")
    with pytest.raises(CommandError):
        call_command("ensure_admin", "--allow-production")  # the README's
    assert not get_user_model().objects.exists()

    production.setenv("ACADEMY_ADMIN_PASSWORD", "a-Secret-of-our-own-42")
    call_command("ensure_admin", "--allow-production")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("a-Secret-of-our-own-42")


def test_load_demo_refuses_in_production_without_flag_and_password(production):
    from wagtail.models import Page

    pages = Page.objects.count()
    with pytest.raises(CommandError):
        call_command("load_demo")
    with pytest.raises(CommandError):
        call_command("load_demo", "--allow-production")
    assert Page.objects.count() == pages and not get_user_model().objects.exists()


def test_demo_accounts_take_the_password_from_the_environment(production):
    production.setenv("ACADEMY_DEMO_PASSWORD", "demo-Secret-of-our-own-7")
    call_command("load_demo", "--allow-production")
    trainer = get_user_model().objects.get(username="formatrice")
    assert trainer.check_password("demo-Secret-of-our-own-7") and not trainer.check_password("academy-trainer")


def test_gunicorn_binds_loopback_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    config = runpy.run_path(str(Path(django_settings.BASE_DIR) / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000"
