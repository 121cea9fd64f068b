"""Attendance certificates ("attestati di partecipazione") as HTML and PDF.

Why this module looks the way it does:

* :class:`CertificateContent` is a plain dataclass, not a model: the PDF/HTML code does not depend on
  the ORM, runs in worker processes without a database, and the model layer only has to map its
  rows into it.
* Templates are rendered with a private :class:`django.template.Engine` pointed at the project's
  ``templates/`` directory, so rendering works with or without ``django.setup()`` (e.g. inside
  ``ProcessPoolExecutor`` workers or the benchmark script).
* Labels are a small dict per language instead of gettext: certificates are only issued in Italian
  and English, and the wording is legal-ish text that must not change because someone edited a
  ``.po`` file.
* PDFs are PDF/A-3b (archival; WeasyPrint 70 produces them with text still extractable, which the
  tests check).

Two ways of producing PDFs:

* :func:`render_certificate_pdf` - one WeasyPrint render per certificate. Simple; costs ~75 ms of
  CPU per certificate here, more than half of it fixed per-document overhead: font subsetting
  (fontTools, because the system lacks libharfbuzz-subset0 - installing it makes every render
  faster), stylesheet parsing and PDF serialisation.
* :func:`render_certificates_pdf` - the bulk path: many certificates become pages of one HTML
  document (one fixed-size page each), rendered once with a cached stylesheet and font
  configuration, so fonts are subset once per chunk; the PDF is then split page by page with pypdf
  (~1.5 ms a page, against ~20 ms for ``Document.copy([page]).write_pdf()``, which redoes the font
  subsetting for every output). Chunks are spread over worker processes. Measured here: ~37 ms of
  CPU per certificate, i.e. about 2x cheaper per core, plus whatever parallelism the cores give.
"""

from __future__ import annotations

import concurrent.futures
import functools
import io
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import segno
from django.template import Context, Engine

BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = BASE_DIR / "templates"
TEMPLATE_NAME = "certificates/certificate.html"
STYLESHEET_PATH = TEMPLATES_DIR / "certificates" / "certificate.css"
STATIC_DIR = Path(__file__).resolve().parent / "static" / "certificates"

PDF_VARIANT = "pdf/a-3b"
"""WeasyPrint PDF variant used for every certificate (archival PDF/A-3b; text stays extractable)."""

DEFAULT_CHUNK_SIZE = 50
"""Certificates per WeasyPrint document in the bulk path (bigger = less fixed cost, more memory)."""

DENSE_TITLE_CHARS = 110
DENSE_DETAILS_CHARS = 320
"""Above these lengths a certificate uses the smaller "dense" type scale (see certificate.css)."""

BRAND_NAME = "Academy"
BRAND_NETWORK = "Rete delle cooperative sociali"

COURSE_KINDS = ("webinar", "masterclass")
LANGUAGES = ("it", "en")

_MONTHS = {
    "it": (
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
        "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

LABELS: dict[str, dict[str, str]] = {
    "it": {
        "document_title": "Attestato di partecipazione — Academy",
        "heading": "Attestato di partecipazione",
        "certify": "Si attesta che",
        "attended_webinar": "ha partecipato al webinar",
        "attended_masterclass": "ha partecipato alla masterclass",
        "kind_webinar": "Webinar",
        "kind_masterclass": "Masterclass",
        "held_one_webinar": "svoltosi il {dates}",
        "held_many_webinar": "svoltosi nelle giornate del {dates}",
        "held_one_masterclass": "svoltasi il {dates}",
        "held_many_masterclass": "svoltasi nelle giornate del {dates}",
        "duration_one": "per una durata complessiva di {hours} ora",
        "duration_many": "per una durata complessiva di {hours} ore",
        "trainers_one": "Docente",
        "trainers_many": "Docenti",
        "areas": "Aree tematiche",
        "competences": "Competenze sviluppate",
        "issued": "Rilasciato il {date}",
        "signatory": "Il Direttore dell'Academy",
        "code": "Codice:",
        "verify": "Verifica l'autenticità all'indirizzo:",
        "revoked": "REVOCATO",
        "and": "e",
    },
    "en": {
        "document_title": "Certificate of attendance — Academy",
        "heading": "Certificate of attendance",
        "certify": "This is to certify that",
        "attended_webinar": "attended the webinar",
        "attended_masterclass": "attended the masterclass",
        "kind_webinar": "Webinar",
        "kind_masterclass": "Masterclass",
        "held_one_webinar": "held on {dates}",
        "held_many_webinar": "held on {dates}",
        "held_one_masterclass": "held on {dates}",
        "held_many_masterclass": "held on {dates}",
        "duration_one": "for a total of {hours} hour",
        "duration_many": "for a total of {hours} hours",
        "trainers_one": "Trainer",
        "trainers_many": "Trainers",
        "areas": "Subject areas",
        "competences": "Competences developed",
        "issued": "Issued on {date}",
        "signatory": "The Director of the Academy",
        "code": "Code:",
        "verify": "Verify its authenticity at:",
        "revoked": "REVOKED",
        "and": "and",
    },
}
"""Certificate wording per language. Kept here (not in gettext) so the legal text is reviewed in code."""


@dataclass
class CertificateContent:
    """Everything printed on one certificate, already decided (no database access needed).

    ``organisation`` is the participant's cooperative, printed under the name when known.
    ``revoked`` certificates still render (for the archive) but carry a large "REVOCATO" stamp.
    """

    code: str
    participant_name: str
    course_title: str
    course_kind: str
    dates: list[date]
    hours: Decimal | float | int
    trainers: list[str]
    areas: list[str]
    competences: list[str]
    issued_on: date
    verify_url: str
    language: str = "it"
    revoked: bool = False
    organisation: str | None = None

    def __post_init__(self) -> None:
        if self.course_kind not in COURSE_KINDS:
            raise ValueError(f"course_kind must be one of {COURSE_KINDS}, not {self.course_kind!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        if not self.dates:
            raise ValueError("a certificate needs at least one course date")


# --------------------------------------------------------------------------------------------------
# Formatting helpers (pure functions, easy to test)
# --------------------------------------------------------------------------------------------------


def join_list(items: Sequence[str], language: str) -> str:
    """``a, b e c`` / ``a, b and c``."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {LABELS[language]['and']} {items[-1]}"


def format_date(day: date, language: str) -> str:
    """``5 marzo 2025`` / ``5 March 2025`` (no locale module: it is process-global and often missing)."""
    return f"{day.day} {_MONTHS[language][day.month - 1]} {day.year}"


def format_dates(days: Iterable[date], language: str) -> str:
    """Compact list of course dates, grouped by month: ``3, 10 e 17 marzo 2025``."""
    ordered = sorted(set(days))
    groups: list[tuple[tuple[int, int], list[int]]] = []
    for day in ordered:
        key = (day.year, day.month)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(day.day)
        else:
            groups.append((key, [day.day]))
    parts = [
        f"{join_list([str(d) for d in days_], language)} {_MONTHS[language][month - 1]} {year}"
        for (year, month), days_ in groups
    ]
    return join_list(parts, language)


def format_hours(hours: Decimal | float | int, language: str) -> str:
    """``6`` / ``1,5`` (Italian decimal comma) / ``1.5``; trailing zeros dropped."""
    value = Decimal(str(hours)).normalize()
    if value == value.to_integral_value():
        text = str(int(value))
    else:
        text = format(value, "f")
    return text.replace(".", ",") if language == "it" else text


def qr_svg(payload: str) -> str:
    """Inline SVG QR code whose payload is exactly ``payload`` (the verify URL).

    Size comes from CSS (the SVG only has a viewBox); error correction M survives a smudged print.
    """
    qr = segno.make(payload, error="m", micro=False, boost_error=False)
    return qr.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, dark="#1b2a4a")


def _certificate_context(content: CertificateContent) -> dict[str, Any]:
    lang = content.language
    labels = LABELS[lang]
    kind = content.course_kind
    many_dates = len(set(content.dates)) > 1
    hours_text = format_hours(content.hours, lang)
    duration_key = "duration_one" if Decimal(str(content.hours)) == 1 else "duration_many"
    when = labels[f"held_{'many' if many_dates else 'one'}_{kind}"].format(
        dates=format_dates(content.dates, lang)
    )
    details: list[tuple[str, str]] = []
    if content.trainers:
        details.append(
            (
                labels["trainers_many" if len(content.trainers) > 1 else "trainers_one"],
                ", ".join(content.trainers),
            )
        )
    if content.areas:
        details.append((labels["areas"], ", ".join(content.areas)))
    if content.competences:
        details.append((labels["competences"], "; ".join(content.competences)))
    # Long titles or many competences would run into the footer (or onto a second page): switch to a
    # denser type scale instead of clipping text, which a certificate must never silently lose.
    details_chars = sum(len(value) for _, value in details)
    dense = len(content.course_title) > DENSE_TITLE_CHARS or details_chars > DENSE_DETAILS_CHARS
    return {
        "lang": lang,
        "dense": dense,
        "brand_name": BRAND_NAME,
        "brand_network": BRAND_NETWORK,
        "kind_label": labels[f"kind_{kind}"],
        "heading": labels["heading"],
        "certify": labels["certify"],
        "participant_name": content.participant_name,
        "organisation": content.organisation,
        "attended": labels[f"attended_{kind}"],
        "course_title": content.course_title,
        "when": f"{when}, {labels[duration_key].format(hours=hours_text)}.",
        "details": details,
        "issued": labels["issued"].format(date=format_date(content.issued_on, lang)),
        "signatory": labels["signatory"],
        "qr_svg": qr_svg(content.verify_url),
        "code_label": labels["code"],
        "code": content.code,
        "verify_label": labels["verify"],
        "verify_url": content.verify_url,
        "revoked": content.revoked,
        "revoked_label": labels["revoked"],
    }


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------


@functools.cache
def _engine() -> Engine:
    """Standalone template engine: same DIRS as the project, no settings or app registry needed."""
    return Engine(dirs=[str(TEMPLATES_DIR)], autoescape=True, debug=False)


@functools.cache
def _stylesheet_text() -> str:
    return STYLESHEET_PATH.read_text(encoding="utf-8")


def _asset_base() -> str:
    return STATIC_DIR.as_uri() + "/"


def _render_html(contents: Sequence[CertificateContent], *, inline_css: bool, asset_base: str) -> str:
    language = contents[0].language if contents else "it"
    context = {
        "lang": language,
        # Same title for every certificate, so PDF metadata is identical in the naive and bulk paths.
        "document_title": LABELS[language]["document_title"],
        "stylesheet": _stylesheet_text() if inline_css else "",
        "asset_base": asset_base,
        "certificates": [_certificate_context(content) for content in contents],
    }
    return _engine().get_template(TEMPLATE_NAME).render(Context(context, autoescape=True))


def render_certificate_html(content: CertificateContent, *, asset_base: str | None = None) -> str:
    """Standalone HTML for one certificate (stylesheet inlined, QR code as inline SVG).

    ``asset_base`` is where ``logo.svg``/``signature.svg`` are found: by default a ``file://`` URL to
    ``certificates/static/certificates/`` (what WeasyPrint needs); a web view can pass the static URL.
    """
    return _render_html([content], inline_css=True, asset_base=asset_base or _asset_base())


# --------------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------------


def render_certificate_pdf(content: CertificateContent) -> bytes:
    """One certificate, one full WeasyPrint render (the simple, slow path: ~50 ms each).

    The output is PDF/A-3b (``pdf_variant="pdf/a-3b"``): archival, self-contained (fonts and the
    sRGB output intent embedded) and its text remains extractable with pypdf.
    """
    import weasyprint

    html = _render_html([content], inline_css=True, asset_base=_asset_base())
    return weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


# Per-process caches for the bulk path. Keyed on the pid so that forked workers build their own
# objects (FontConfiguration wraps fontconfig/pango handles that should not be shared across fork).
_BULK_STATE: dict[int, tuple[Any, Any, dict[str, Any]]] = {}


def _bulk_state() -> tuple[Any, Any, dict[str, Any]]:
    """(FontConfiguration, parsed stylesheet, image cache) for this process, built once."""
    pid = os.getpid()
    state = _BULK_STATE.get(pid)
    if state is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        stylesheet = CSS(string=_stylesheet_text(), font_config=font_config)
        state = (font_config, stylesheet, {})
        _BULK_STATE.clear()
        _BULK_STATE[pid] = state
    return state


def _split_pdf(pdf: bytes, expected_pages: int) -> list[bytes] | None:
    """Split a multi-page PDF into one PDF per page, keeping the PDF/A catalog entries.

    Returns ``None`` when the page count is not the expected one (a certificate overflowed its page),
    so the caller can fall back to rendering that chunk one by one.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) != expected_pages:
        return None
    root = reader.trailer["/Root"]
    info = reader.metadata
    outputs: list[bytes] = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.pdf_header = reader.pdf_header  # PDF/A-3 needs the 1.7 header WeasyPrint wrote
        writer.add_page(page)
        # PDF/A: the output intent (ICC profile) and XMP metadata live in the catalog, not the page.
        for key in ("/OutputIntents", "/Metadata", "/Lang", "/MarkInfo"):
            if key in root:
                writer._root_object[NameObject(key)] = root.raw_get(key).clone(writer)
        if info:  # Info must agree with the copied XMP (title, producer) for PDF/A
            writer.add_metadata(dict(info))
        writer.generate_file_identifiers()  # PDF/A requires a trailer /ID
        buffer = io.BytesIO()
        writer.write(buffer)
        outputs.append(buffer.getvalue())
    return outputs


def _render_chunk(contents: Sequence[CertificateContent]) -> list[bytes]:
    """Render a chunk of certificates as one WeasyPrint document and split it into one PDF each."""
    import weasyprint

    if not contents:
        return []
    font_config, stylesheet, image_cache = _bulk_state()
    html = _render_html(contents, inline_css=False, asset_base=_asset_base())
    document = weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).render(
        stylesheets=[stylesheet], font_config=font_config, cache=image_cache
    )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    split = _split_pdf(pdf, len(contents))
    if split is None:  # some certificate did not fit on one page: correctness over speed
        return [render_certificate_pdf(content) for content in contents]
    return split


def _chunks(items: Sequence[CertificateContent], size: int) -> list[Sequence[CertificateContent]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _group_by_language(contents: Sequence[CertificateContent]) -> list[list[int]]:
    """Indices grouped by language (a document has one ``lang``), order preserved within groups."""
    groups: dict[str, list[int]] = {}
    for index, content in enumerate(contents):
        groups.setdefault(content.language, []).append(index)
    return list(groups.values())


def iter_certificates_pdf(
    contents: Sequence[CertificateContent],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int | None = None,
) -> Iterator[tuple[list[int], list[bytes]]]:
    """The bulk path as a stream: yields ``(positions, pdfs)`` per rendered chunk, in submission order.

    All chunks are submitted to one pool up front, so the workers keep rendering while the caller
    stores and e-mails the chunk it just received (the caller's work overlaps with rendering instead
    of leaving the cores idle between batches). ``positions`` index into ``contents``.
    """
    contents = list(contents)
    if not contents:
        return
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    chunks: list[list[int]] = []
    for group in _group_by_language(contents):
        chunks.extend([list(c) for c in _chunks(group, chunk_size)])
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    workers = max(1, min(workers, len(chunks)))
    payloads = [[contents[i] for i in chunk] for chunk in chunks]

    def checked(chunk: list[int], pdfs: list[bytes]) -> tuple[list[int], list[bytes]]:
        if len(pdfs) != len(chunk):  # never hand back a shifted list
            raise RuntimeError(f"chunk of {len(chunk)} certificates rendered {len(pdfs)} PDFs")
        return chunk, pdfs

    if workers == 1:
        for chunk, payload in zip(chunks, payloads, strict=True):
            yield checked(chunk, _render_chunk(payload))
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method)
    ) as pool:
        for chunk, pdfs in zip(chunks, pool.map(_render_chunk, payloads), strict=True):
            yield checked(chunk, pdfs)


def render_certificates_pdf(
    contents: Sequence[CertificateContent],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int | None = None,
) -> list[bytes]:
    """Bulk issue: one PDF per certificate, in input order, several times faster than the naive path.

    ``workers`` defaults to ``min(2, os.cpu_count())``; ``workers=1`` (or a single chunk) renders in
    this process. Workers are forked (on Linux) and only need this module - no Django setup or
    database - because :class:`CertificateContent` carries everything; forked children leave via
    ``os._exit``, so inherited database connections are never closed under the parent's feet. Call
    it from a background task (not from a threaded web worker: forking a multi-threaded process is
    unsafe). Certificates are grouped by language (one ``lang`` per document), so chunks never mix.

    A certificate whose content does not fit on its page makes the page count of its chunk wrong;
    that chunk is then rendered one certificate at a time (the overflowing one gets two pages, but no
    text is ever clipped). Long titles/lists first switch to a denser type scale to avoid that.
    See :func:`iter_certificates_pdf` for the streaming form used by the bulk issue.
    """
    contents = list(contents)
    results: list[bytes | None] = [None] * len(contents)
    for chunk, pdfs in iter_certificates_pdf(contents, chunk_size=chunk_size, workers=workers):
        for index, pdf in zip(chunk, pdfs, strict=True):
            results[index] = pdf
    missing = [index for index, pdf in enumerate(results) if pdf is None]
    if missing:  # cannot happen unless a chunk returned too few PDFs; never hand back a shifted list
        raise RuntimeError(f"no PDF rendered for certificates at positions {missing[:10]}")
    return [pdf for pdf in results if pdf is not None]


# --------------------------------------------------------------------------------------------------
# Inspection helpers
# --------------------------------------------------------------------------------------------------


def extract_text(pdf_bytes: bytes) -> str:
    """All text of a PDF (pages joined by newlines), as a verifier or a search indexer would see it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def normalize_whitespace(text: str) -> str:
    """Collapse runs of whitespace, so texts from differently-built PDFs can be compared."""
    return re.sub(r"\s+", " ", text).strip()
