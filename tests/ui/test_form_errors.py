"""After a failed submit the page title says there is an error and the error summary takes the focus
(issue 27, item 7): sign-up, questionnaire and HR import."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_a_failed_sign_up_says_error_in_the_title_and_focuses_the_summary(client, site):
    html = client.post(reverse("accounts:signup"), {"first_name": "Anna", "last_name": "Rossi",
                                                    "email": "not-an-address", "password1": "x",
                                                    "password2": "y"}).content.decode()
    assert _title(html).startswith("Errore: ")
    summary = re.search(r'<div class="error-summary[^>]*>', html).group(0)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    assert 'href="#id_email"' in html


def test_a_fresh_sign_up_page_has_no_error_in_the_title(client, site):
    html = client.get(reverse("accounts:signup")).content.decode()
    assert not _title(html).startswith("Errore") and 'data-testid="error-summary"' not in html


def test_sign_up_fields_carry_autocomplete_required_markers_and_the_password_rules(client, site):
    html = client.get(reverse("accounts:signup")).content.decode()
    for name, token in (("first_name", "given-name"), ("last_name", "family-name"), ("email", "email"),
                        ("password1", "new-password"), ("password2", "new-password")):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert f'autocomplete="{token}"' in field, field
    assert 'class="required"' in re.search(r'<label[^>]*for="id_email"[^>]*>', html).group(0)
    assert "required" not in re.search(r'<label[^>]*for="id_job_role"[^>]*>', html).group(0)  # optional
    assert "8" in re.search(r'id="id_password1_helptext"[^>]*>(.*?)</div>', html, re.S).group(1)  # at least 8 characters
