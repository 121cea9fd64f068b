"""Tabular uploads: one reader for CSV and XLSX files and one shape of import report, for every import
of the Academy (organisations, staff rosters, external training)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext as _


class TabularFileError(ValueError):
    """The file cannot be read at all (wrong format, not UTF-8, empty); the message says so to the user."""


@dataclass
class ImportReport:
    """What an import did; ``errors`` lists (line, reason) for every bad row (line 1 is the header), and
    then nothing is saved."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated


def read_table(content: bytes | str, filename: str = "") -> tablib.Dataset:
    """A dataset from a CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX file.

    XLSX is recognised by the file name or by its zip signature. Headers are stripped and lower-cased
    so that "E-mail " and "e-mail" name the same column.
    """
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx") or (isinstance(content, bytes) and content[:2] == b"PK"):
            data = tablib.Dataset().load(io.BytesIO(content) if isinstance(content, bytes) else content,
                                         format="xlsx")
        else:
            text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            data = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except Exception as exc:  # csv, UnicodeDecodeError, and openpyxl's own errors for a damaged workbook
        raise TabularFileError(_("The file could not be read: %(error)s") % {"error": exc}) from exc
    if not data.headers:
        raise TabularFileError(_("The file is empty."))
    data.headers = [str(h or "").strip().lower() for h in data.headers]
    return data


def read_upload(upload, filename: str = "") -> tablib.Dataset:
    """``read_table`` for an uploaded file object (or bytes); the name comes from the upload if not given."""
    content = upload.read() if hasattr(upload, "read") else upload
    return read_table(content, filename or getattr(upload, "name", "") or "")
