"""The one CSV/XLSX reader behind every import."""

from __future__ import annotations

import pytest
import tablib

from academy.core.tabular import ImportReport, TabularFileError, read_table


def test_csv_with_semicolons_bom_and_untidy_headers():
    data = read_table("\ufeffE-mail ; First_Name\nanna@example.org;Anna\n".encode(), "staff.csv")
    assert data.headers == ["email", "first_name"]  # "E-mail", as Italian files write it, is the email column
    assert data.dict == [{"email": "anna@example.org", "first_name": "Anna"}]


def test_xlsx_by_name_or_signature():
    book = tablib.Dataset(["anna@example.org", "Anna"], headers=["Email", "first_name"]).export("xlsx")
    for name in ("staff.xlsx", "upload"):
        assert read_table(book, name).dict == [{"email": "anna@example.org", "first_name": "Anna"}]


@pytest.mark.parametrize("content,name", [(b"%PDF-1.4\n\x00\x01\x02binary", "x.csv"), (b"PK\x03\x04broken", "x.xlsx"),
                                          (b"", "empty.csv")])
def test_unreadable_files_raise_a_clear_error(content, name):
    with pytest.raises(TabularFileError):
        read_table(content, name)


def test_report_is_ok_only_without_errors():
    assert ImportReport(created=2, updated=1).ok and ImportReport(created=2, updated=1).total == 3
    assert not ImportReport(errors=[(2, "bad")]).ok


def test_xlsx_export_keeps_the_layout_dates_and_neutralised_formulas():
    import datetime
    import io
    from decimal import Decimal

    import openpyxl

    from academy.core.tabular import export_xlsx

    staff = tablib.Dataset(title="Staff: 2026/27", headers=["Name", "Deadline", "At", "Hours", "Note"])
    staff.append(["=HYPERLINK(\"x\")", datetime.date(2027, 1, 10), datetime.datetime(2026, 3, 1, 9, 30),
                  Decimal("1.50"), "two\nlines"])
    other = tablib.Dataset(headers=["n"])
    other.append([1])
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(tablib.Databook([staff, other]))))
    first, second = book.worksheets
    assert [first.title, second.title] == ["Staff- 2026-27", "Sheet1"]
    assert first.freeze_panes == "A2" and first["A1"].font.b and first["A1"].value == "Name"
    name, deadline, at, hours, note = first[2]
    assert name.value == "'=HYPERLINK(\"x\")" and name.data_type == "s"
    assert deadline.is_date and deadline.number_format == "DD/MM/YYYY"
    assert at.is_date and at.number_format == "DD/MM/YYYY HH:MM"
    assert hours.value == 1.5 and note.alignment.wrap_text
    single = openpyxl.load_workbook(io.BytesIO(export_xlsx(staff))).active
    assert single.column_dimensions["A"].width == len("'=HYPERLINK(\"x\")")
