"""Imports have size and row limits with clear messages, checked before any row is written."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.network.models import Person

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,email,fiscal_code,job_role\n"


def rows(n: int) -> str:
    return HEADER + "".join(f"Nome{i},Cognome{i},p{i}@gruppogamma.coop,,\n" for i in range(n))


def xlsx(n: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["first_name", "last_name", "email"])
    for i in range(n):
        sheet.append([f"Nome{i}", f"Cognome{i}", f"p{i}@gruppogamma.coop"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def officer_client(client, gamma, make_officer):
    client.force_login(make_officer(gamma))
    return client


def post(client, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("hr:import", args=["roster"]), {"file": upload})


def test_a_file_over_the_size_limit_is_refused_before_reading(officer_client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = rows(40).encode()
    assert len(content) > 1000
    response = post(officer_client, "roster.csv", content)
    assert response.status_code == 400
    assert "troppo grande" in response.content.decode() or "too large" in response.content.decode()
    assert not Person.objects.filter(email__endswith="@gruppogamma.coop", first_name__startswith="Nome").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused_whole(officer_client, settings, fmt):
    settings.IMPORT_MAX_ROWS = 3
    content = rows(4).encode() if fmt == "csv" else xlsx(4)
    response = post(officer_client, f"roster.{fmt}", content)
    assert response.status_code == 400
    assert "3" in response.content.decode()
    assert not Person.objects.filter(first_name__startswith="Nome").exists()
    # at the limit it imports
    content = rows(3).encode() if fmt == "csv" else xlsx(3)
    assert post(officer_client, f"roster.{fmt}", content).status_code == 302
    assert Person.objects.filter(first_name__startswith="Nome").count() == 3
