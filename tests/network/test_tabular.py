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
