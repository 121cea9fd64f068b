"""Tabular files: one reader for CSV and XLSX uploads (with size limits), one shape of import report,
and one writer for spreadsheet exports that neutralises formulas, for every import and export of the
Academy (organisations, staff rosters, external training, HR report, attendance register, admin
lists)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000
# An XLSX is a zip: refuse one that unpacks to far more than any honest roster (a "zip bomb").
XLSX_MAX_EXPANSION = 20
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"  # what Excel set to Italian expects (the comma is the decimal separator there)


# Import files may head their columns in Italian: each Italian header names the import's own (English)
# column. The HR import page lists the Italian headers on Italian pages (templates/hr/import.html).
ITALIAN_HEADERS = {
    "nome": "first_name", "cognome": "last_name", "e-mail": "email", "codice_fiscale": "fiscal_code",
    "codice fiscale": "fiscal_code", "mansione": "job_role", "ruolo": "job_role", "lingua": "preferred_language",
    "titolo": "title", "ente": "provider", "ente_formatore": "provider", "ente formatore": "provider",
    "data": "date", "ore": "hours", "competenze": "competences",
    "data_assunzione": "hired_on", "data assunzione": "hired_on", "inizio_mansione": "job_since",
    "inizio mansione": "job_since", "classe_rischio_mansione": "job_risk_class",
    "classe rischio mansione": "job_risk_class",
}


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def parse_cell_date(value) -> datetime.date | None:
    """A date from an import's cell (every import reads dates this one way): an XLSX date, DD/MM/YYYY,
    DD-MM-YYYY or YYYY-MM-DD; None for an empty cell.
    Raises ``ValueError`` with a message for the person who typed it."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if " " in text:  # a spreadsheet's "2026-03-01 00:00:00"
        text = text.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if EARLIEST <= day <= LATEST:  # "01/03/26" would otherwise be the year 26
            return day
    raise ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY).") % {"value": text})



class TabularFileError(ValueError):
    """The file cannot be read at all (wrong format, too large, empty); the message says so to the user."""


@dataclass
class ImportReport:
    """What an import did; ``errors`` lists (line, reason) for every bad row (line 1 is the header), and
    then nothing is saved."""

    created: int = 0
    updated: int = 0
    pending: int = 0  # valid rows that wait for somebody's confirmation instead of being saved
    held: int = 0  # of those, rows whose confirmation e-mail waits for staff approval (an hourly limit)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated


# --- reading -----------------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _too_large(size: int) -> TabularFileError:
    return TabularFileError(_("The file is too large (%(size)s): the limit is %(limit)s. Split it into "
                              "smaller files.") % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())})


def _too_many_rows() -> TabularFileError:
    limit = max_rows()
    return TabularFileError(ngettext(
        "The file has more than %(limit)s row: split it into smaller files.",
        "The file has more than %(limit)s rows: split it into smaller files.", limit) % {"limit": limit})


def check_size(size: int | None) -> None:
    """Refuse a file over ``IMPORT_MAX_BYTES`` before reading it."""
    if size is not None and size > max_bytes():
        raise _too_large(size)


def decode_text(content: bytes) -> str:
    """Text of a CSV as Excel saves it: UTF-8 (with or without BOM), UTF-16 ("Unicode text"), or the
    Windows-1252 / Latin-1 of an Italian Excel's plain "CSV"."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = content.decode("utf-16")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
                text = content.decode("latin-1")
    if "\x00" in text:
        raise TabularFileError(_("This is not a CSV or XLSX file."))
    return text


def _read_csv(text: str) -> tablib.Dataset:
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if not first.count(delimiter):
        delimiter = ","
    return tablib.Dataset().load(text, format="csv", delimiter=delimiter)


def _read_xlsx(content: bytes) -> tablib.Dataset:
    """The first sheet, streamed, so that a sheet over the row limit stops early instead of filling memory."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_bytes() * XLSX_MAX_EXPANSION:
        raise _too_large(unpacked)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = book.active.iter_rows(values_only=True)
        headers = [("" if h is None else str(h)) for h in next(rows, ())]
        while headers and not headers[-1]:
            headers.pop()
        data = tablib.Dataset(headers=headers or None)
        limit = max_rows()
        for row in rows:
            values = list(row[:len(headers)]) + [None] * (len(headers) - len(row))
            if all(v is None or v == "" for v in values):
                continue
            if len(data) >= limit:
                raise _too_many_rows()
            data.append(values)
    finally:
        book.close()
    return data


def read_table(content: bytes | str, filename: str = "") -> tablib.Dataset:
    """A dataset from a CSV (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or XLSX file.

    XLSX is recognised by the file name or by its zip signature. Files over the byte or row limits
    (settings ``IMPORT_MAX_BYTES``, ``IMPORT_MAX_ROWS``) are refused with a clear message. Headers are
    stripped and lower-cased so that "E-mail " and "e-mail" name the same column, and Italian headers
    (``ITALIAN_HEADERS``: "nome", "codice_fiscale", ...) become the import's own column names.
    """
    name = (filename or "").lower()
    check_size(len(content.encode() if isinstance(content, str) else content))
    try:
        if isinstance(content, bytes) and (content[:2] == b"PK" or name.endswith(".xlsx")):
            data = _read_xlsx(content)
        else:
            data = _read_csv(decode_text(content) if isinstance(content, bytes) else content.lstrip("\ufeff"))
    except TabularFileError:
        raise
    except Exception as exc:  # csv, zipfile and openpyxl's own errors for a damaged or mislabelled file
        raise TabularFileError(_("The file could not be read: %(error)s") % {"error": exc}) from exc
    if not data.headers:
        raise TabularFileError(_("The file is empty."))
    if len(data) > max_rows():
        raise _too_many_rows()
    headers = [str(h or "").strip().lower() for h in data.headers]
    data.headers = [ITALIAN_HEADERS.get(h, h) for h in headers]
    return data


def read_upload(upload, filename: str = "") -> tablib.Dataset:
    """``read_table`` for an uploaded file object (or bytes); the name comes from the upload if not given.
    The size limit is checked before the file is read."""
    if hasattr(upload, "read"):
        check_size(getattr(upload, "size", None))
        content = upload.read(max_bytes() + 1)
    else:
        content = upload
    return read_table(content, filename or getattr(upload, "name", "") or "")


# --- writing -----------------------------------------------------------------------------------------


def safe_cell(value):
    """A value that a spreadsheet shows as typed: text starting like a formula (``= + - @``, or a tab or
    carriage return that hides one) gets a leading apostrophe (OWASP's advice for CSV injection), so a
    self-chosen name such as ``=HYPERLINK(...)`` is never evaluated. Numbers and dates pass unchanged."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_dataset(data: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``data`` with every cell (and heading) through ``safe_cell``."""
    safe = tablib.Dataset(headers=[safe_cell(h) for h in data.headers] if data.headers else None,
                          title=data.title)
    for row in data:
        safe.append([safe_cell(v) for v in row])
    return safe


def _italian_number(value):
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def export_csv(data: tablib.Dataset) -> bytes:
    """CSV for Excel set to Italian: ``;`` between cells, decimal commas, DD/MM/YYYY dates, UTF-8 with a
    BOM (without it Excel reads accented letters as Windows-1252), formulas neutralised."""
    safe = safe_dataset(data)
    italian = tablib.Dataset(headers=safe.headers)
    for row in safe:
        italian.append([_italian_number(v) for v in row])
    return ("\ufeff" + italian.export("csv", delimiter=CSV_DELIMITER)).encode("utf-8")


XLSX_DATE_FORMAT, XLSX_DATETIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"


def export_xlsx(data: tablib.Dataset | tablib.Databook) -> bytes:
    """XLSX of a dataset or of every sheet of a databook, formulas neutralised; dates stay real dates (they
    sort and filter as dates) shown as dd/mm/yyyy, the Italian way.

    Written once, row by row, with openpyxl's write-only mode (a consortium's report has hundreds of
    thousands of cells: building the whole workbook in memory and writing it again was most of its time).
    The layout is tablib's: bold headings, the first row frozen, line breaks wrapped, and for a single
    dataset columns as wide as their longest value."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheets = data.sheets() if isinstance(data, tablib.Databook) else [data]
    for index, sheet in enumerate(sheets):
        _write_sheet(book, sheet, sheet.title or (f"Sheet{index}" if isinstance(data, tablib.Databook)
                                                  else "Tablib Dataset"),
                     adaptive_width=not isinstance(data, tablib.Databook))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


def _write_sheet(book, data: tablib.Dataset, title: str, *, adaptive_width: bool) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(SHEET_TITLE_FORBIDDEN.sub("-", title)[:31])
    headers = [safe_cell(h) for h in data.headers] if data.headers else None
    if adaptive_width:  # widths must be set before the first row is written
        widths: list[int] = []
        for row in ([headers] if headers else []) + list(data):
            for i, value in enumerate(row):
                width = len(str(safe_cell(value)))
                if i < len(widths):
                    widths[i] = max(widths[i], width)
                else:
                    widths.append(width)
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = width
    if headers:
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([_cell(sheet, h, font=bold) for h in headers])
    wrap = Alignment(wrap_text=True)
    plain = (str, int, float, Decimal, type(None))
    for row in data:
        # Plain values are written as they are; only dates and wrapped text need a styled cell.
        sheet.append([v if type(v) in plain and not (type(v) is str and "\n" in v)
                      else _cell(sheet, v, alignment=wrap if "\n" in str(v) else None)
                      for v in (safe_cell(v) for v in row)])


def _cell(sheet, value, *, font=None, alignment=None):
    from openpyxl.cell import WriteOnlyCell

    try:
        cell = WriteOnlyCell(sheet, value=value)
    except ValueError:
        cell = WriteOnlyCell(sheet, value=str(value))
    if isinstance(value, datetime.datetime):
        cell.number_format = XLSX_DATETIME_FORMAT if value.time() != datetime.time.min else XLSX_DATE_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = XLSX_DATE_FORMAT
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


# --- Wagtail's admin list exports ----------------------------------------------------------------------


def guard_wagtail_exports() -> None:
    """Route every cell of Wagtail's ``list_export`` (CSV and XLSX, every ``ModelViewSet`` and snippet)
    through ``safe_cell``. Done once at start-up so that no viewset can forget it."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_academy_guarded", False):
        return
    original = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(original(self, field, value, export_format))

    original_heading = SpreadsheetExportMixin.get_heading

    def get_heading(self, queryset, field):
        return safe_cell(original_heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin._academy_guarded = True
