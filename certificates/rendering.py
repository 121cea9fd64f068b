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

* :func:`render_certificate_pdf` - one WeasyPrint render per certificate. Simple; costs ~70 ms of
  CPU per certificate here, a good part of it fixed per-document overhead (stylesheet parsing,
  font loading and subsetting, PDF serialisation) plus drawing the SVG images and QR code.
* :func:`render_certificates_pdf` - the bulk path: many certificates become pages of one HTML
  document (one fixed-size page each), rendered once with a cached stylesheet and font
  configuration, so fonts are subset once per chunk; the PDF is then split page by page with pypdf
  (~2 ms a page, against ~20 ms for ``Document.copy([page]).write_pdf()``, which redoes the font
  subsetting for every output). Chunks are spread over forked worker processes.

  What every page would draw identically is drawn once: WeasyPrint renders only a *text layer*
  (same template, ``layer="text"``: frame and images laid out but ``visibility: hidden``, an empty box
  where the QR code goes). The *graphics layer* (frame, logo, signature; no text) is rendered once
  per worker from the same template and stamped under each split page as a Form XObject; the QR
  code is drawn over it as filled rectangles built from ``segno``'s matrix, at the box WeasyPrint
  laid out for it. Both layers share the full page's layout, so the result looks the same as the
  full render (a test rasterises both) and pypdf extracts the same text in the same order (neither
  the shared layer nor the QR drawing has any text). Drawing the QR code's SVG and the two images was
  ~30 % of a page. Outputs keep the PDF/A-3b catalog (output intent, XMP, trailer ID) and add only
  a Form XObject and plain path operators, which PDF/A-3 allows; not checked with a validator.

  Measured here (unloaded): ~25 ms of CPU per certificate against ~70 ms for the naive path, i.e.
  ~3x cheaper per core, plus what the second core gives. Cyclic garbage collection is paused while
  a chunk renders (WeasyPrint's object churn otherwise costs ~10 %).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
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


QR_BORDER = 2
"""Quiet zone of the QR code, in modules (inside the 28 mm box, as in the SVG's viewBox)."""
QR_DARK = "#1b2a4a"


def qr_code(payload: str) -> segno.QRCode:
    """The QR symbol for ``payload`` (the verify URL): error correction M survives a smudged print."""
    return segno.make(payload, error="m", micro=False, boost_error=False)


def qr_svg(payload: str) -> str:
    """Inline SVG QR code whose payload is exactly ``payload`` (the verify URL).

    Size comes from CSS (the SVG only has a viewBox).
    """
    return qr_code(payload).svg_inline(
        scale=1, border=QR_BORDER, omitsize=True, svgclass="qr", lineclass=None, dark=QR_DARK
    )


def qr_runs(matrix: Sequence[Sequence[int]]) -> list[tuple[int, int, int]]:
    """Dark modules of a QR matrix (``segno.QRCode.matrix``) as horizontal runs ``(row, column, length)``.

    Rows and columns count from the top-left module of the symbol (quiet zone excluded); this is
    what the bulk path draws as filled rectangles (see :func:`qr_content_stream`).
    """
    runs: list[tuple[int, int, int]] = []
    for row, modules in enumerate(matrix):
        start = None
        for col, dark in enumerate([*modules, 0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                runs.append((row, start, col - start))
                start = None
    return runs


def qr_content_stream(payload: str, x: float, top: float, size: float) -> bytes:
    """PDF content-stream operators drawing the QR code of ``payload`` in a ``size``-point square.

    ``x``/``top`` are the square's left and top edges in PDF user space (points, origin bottom-left).
    The square includes the quiet zone, exactly like the SVG viewBox the full render scales into the
    same box, so both draw the same modules at the same places: one ``re`` per horizontal run of dark
    modules, all filled at once (a single path, so adjacent runs leave no hairline seams). No text.
    """
    matrix = qr_code(payload).matrix
    module = size / (len(matrix) + 2 * QR_BORDER)
    red, green, blue = (int(QR_DARK[i : i + 2], 16) / 255 for i in (1, 3, 5))
    ops = [f"q {red:.4f} {green:.4f} {blue:.4f} rg"]
    for row, col, length in qr_runs(matrix):
        left = x + (col + QR_BORDER) * module
        bottom = top - (row + QR_BORDER + 1) * module
        ops.append(f"{left:.3f} {bottom:.3f} {length * module:.3f} {module:.3f} re")
    ops.append("f Q\n")
    return "\n".join(ops).encode("ascii")


def _certificate_context(content: CertificateContent, *, with_qr: bool = True) -> dict[str, Any]:
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
        "qr_svg": qr_svg(content.verify_url) if with_qr else "",
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


def _render_html(
    contents: Sequence[CertificateContent], *, inline_css: bool, asset_base: str, layer: str = ""
) -> str:
    """HTML of ``contents``, one page each; ``layer`` ("text"/"graphics") is for the bulk path only."""
    language = contents[0].language if contents else "it"
    context = {
        "layer": layer,
        "lang": language,
        # Same title for every certificate, so PDF metadata is identical in the naive and bulk paths.
        "document_title": LABELS[language]["document_title"],
        "stylesheet": _stylesheet_text() if inline_css else "",
        "asset_base": asset_base,
        "certificates": [_certificate_context(content, with_qr=not layer) for content in contents],
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
    """One certificate, one full WeasyPrint render (the simple, slow path: ~70 ms of CPU each).

    The output is PDF/A-3b (``pdf_variant="pdf/a-3b"``): archival, self-contained (fonts and the
    sRGB output intent embedded) and its text remains extractable with pypdf.
    """
    import weasyprint

    html = _render_html([content], inline_css=True, asset_base=_asset_base())
    return weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


# Per-process caches for the bulk path. Keyed on the pid so that forked workers build their own
# objects (FontConfiguration wraps fontconfig/pango handles that should not be shared across fork).
_BULK_STATE: dict[int, tuple[Any, Any, dict[str, Any], dict[Any, Any]]] = {}


def _bulk_state() -> tuple[Any, Any, dict[str, Any], dict[Any, Any]]:
    """(FontConfiguration, parsed stylesheet, image cache, graphics layers) for this process."""
    pid = os.getpid()
    state = _BULK_STATE.get(pid)
    if state is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        stylesheet = CSS(string=_stylesheet_text(), font_config=font_config)
        state = (font_config, stylesheet, {}, {})
        _BULK_STATE.clear()
        _BULK_STATE[pid] = state
    return state


PX_TO_PT = 0.75
"""WeasyPrint lays out in CSS pixels (96 per inch); PDF user space is in points (72 per inch)."""

GRAPHICS_XOBJECT = "/CertificateGraphics"

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class _PageGeometry:
    """Where the bulk path must draw what the text layer leaves out, read from WeasyPrint's layout.

    ``graphics`` - the frame's border box and each image's content box (CSS px, rounded), which is
    also the key of the graphics layer that fits this page; ``qr`` - the empty QR box.
    """

    graphics: tuple[tuple[str, Box], ...]
    qr: Box | None


def _page_geometry(page: Any) -> _PageGeometry:
    from weasyprint.formatting_structure import boxes

    graphics: list[tuple[str, Box]] = []
    qr: Box | None = None
    seen: set[int] = set()
    for box in page._page_box.descendants(placeholders=True):
        box = getattr(box, "_box", box)  # absolutely positioned boxes sit behind a placeholder
        element = getattr(box, "element", None)
        if element is None or id(element) in seen:  # anonymous boxes repeat their parent's element
            continue
        classes = (element.get("class") or "").split()
        if isinstance(box, boxes.ReplacedBox) and box.element_tag == "img":
            geometry = ("img", (box.content_box_x(), box.content_box_y(), box.width, box.height))
        elif "frame" in classes:
            geometry = ("frame", (box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height()))
        elif "qr" in classes:
            seen.add(id(element))
            qr = (box.content_box_x(), box.content_box_y(), box.width, box.height)
            continue
        else:
            continue
        seen.add(id(element))
        kind, (x, y, width, height) = geometry
        graphics.append((kind, (round(x, 2), round(y, 2), round(width, 2), round(height, 2))))
    return _PageGeometry(graphics=tuple(graphics), qr=qr)


@dataclass
class _GraphicsLayer:
    """The frame, logo and signature drawn once (no text): content stream, resources, page box."""

    content: bytes
    resources: Any
    mediabox: Any


def _graphics_layer(content: CertificateContent, geometry: _PageGeometry) -> _GraphicsLayer | None:
    """The graphics layer fitting pages of this geometry, rendered once per worker process.

    Rendered from the same template (``layer="graphics"``: everything but frame and images hidden,
    still laid out), so it lines up with the text layer; ``None`` if its layout does not match
    ``geometry`` (the caller then renders that certificate in full).
    """
    import weasyprint
    from pypdf import PdfReader

    font_config, stylesheet, image_cache, layers = _bulk_state()
    if geometry.graphics in layers:
        return layers[geometry.graphics]
    html = _render_html([content], inline_css=False, asset_base=_asset_base(), layer="graphics")
    document = weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).render(
        stylesheets=[stylesheet], font_config=font_config, cache=image_cache
    )
    if len(document.pages) != 1 or _page_geometry(document.pages[0]).graphics != geometry.graphics:
        return None
    page = PdfReader(io.BytesIO(document.write_pdf())).pages[0]
    layer = _GraphicsLayer(page.get_contents().get_data(), page["/Resources"], page.mediabox)
    layers[geometry.graphics] = layer
    return layer


def _split_pdf(
    pdf: bytes,
    expected_pages: int,
    overlays: Sequence[tuple[_GraphicsLayer, bytes] | None] | None = None,
) -> list[bytes] | None:
    """Split a multi-page PDF into one PDF per page, keeping the PDF/A catalog entries.

    ``overlays`` (bulk path) gives per page the graphics layer to stamp under the page, as a Form
    XObject, and the content stream to draw over it (the QR code); ``None`` leaves a page as it is.
    Returns ``None`` when the page count is not the expected one (a certificate overflowed its page),
    so the caller can fall back to rendering that chunk one by one.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) != expected_pages:
        return None
    root = reader.trailer["/Root"]
    info = reader.metadata
    outputs: list[bytes] = []
    for index, page in enumerate(reader.pages):
        writer = PdfWriter()
        writer.pdf_header = reader.pdf_header  # PDF/A-3 needs the 1.7 header WeasyPrint wrote
        written = writer.add_page(page)
        overlay = overlays[index] if overlays else None
        if overlay is not None:
            layer, drawing = overlay
            form = DecodedStreamObject()
            form.set_data(layer.content)
            form.update({
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(layer.mediabox),
                NameObject("/Resources"): layer.resources.clone(writer),
            })
            resources = written["/Resources"].get_object()
            if "/XObject" not in resources:
                resources[NameObject("/XObject")] = DictionaryObject()
            resources["/XObject"].get_object()[NameObject(GRAPHICS_XOBJECT)] = writer._add_object(
                form.flate_encode()
            )
            # The page's own stream may leave its coordinate transform in place: wrap it in q/Q so
            # the QR code is drawn in default user space, like the graphics layer.
            under, over = DecodedStreamObject(), DecodedStreamObject()
            under.set_data(f"q {GRAPHICS_XOBJECT} Do Q\nq\n".encode("ascii"))
            over.set_data(b"Q\n" + drawing)
            contents = written.raw_get("/Contents")
            original = contents.get_object()
            streams = list(original) if isinstance(original, ArrayObject) else [contents]
            written[NameObject("/Contents")] = ArrayObject(
                [writer._add_object(under), *streams, writer._add_object(over.flate_encode())]
            )
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


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint builds a chunk.

    A 50-page layout allocates millions of short-lived objects, which trigger hundreds of collections
    that each rescan everything still alive (the whole document): ~25 % of the render's CPU. The
    cycles left behind are collected as usual once collection is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _worker_init() -> None:
    """Forked worker: move the inherited heap (Django, WeasyPrint, the caller's objects) out of the
    collector's sight, so its collections scan only what the worker itself allocates."""
    gc.freeze()


def _render_chunk(contents: Sequence[CertificateContent]) -> list[bytes]:
    with _gc_paused():
        return _render_chunk_layers(contents)


def _render_chunk_layers(contents: Sequence[CertificateContent]) -> list[bytes]:
    """Render a chunk of certificates as one WeasyPrint document and split it into one PDF each.

    WeasyPrint renders only the text layer (``layer="text"``): the frame and images are laid out but
    not drawn, the QR box is empty. Each split page then gets the graphics layer (drawn once per
    worker) stamped under it and its QR code drawn as rectangles at the QR box WeasyPrint laid out.
    """
    import weasyprint

    if not contents:
        return []
    font_config, stylesheet, image_cache, _ = _bulk_state()
    html = _render_html(contents, inline_css=False, asset_base=_asset_base(), layer="text")
    document = weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).render(
        stylesheets=[stylesheet], font_config=font_config, cache=image_cache
    )
    if len(document.pages) != len(contents):  # some certificate did not fit on one page
        return [render_certificate_pdf(content) for content in contents]
    overlays: list[tuple[_GraphicsLayer, bytes] | None] = []
    for content, page in zip(contents, document.pages, strict=True):
        geometry = _page_geometry(page)
        layer = _graphics_layer(content, geometry) if geometry.qr else None
        if layer is None or geometry.qr is None:
            overlays.append(None)
            continue
        x, y, width, _ = geometry.qr
        page_height = page.height * PX_TO_PT
        drawing = qr_content_stream(content.verify_url, x * PX_TO_PT, page_height - y * PX_TO_PT, width * PX_TO_PT)
        overlays.append((layer, drawing))
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    split = _split_pdf(pdf, len(contents), overlays)
    if split is None:
        return [render_certificate_pdf(content) for content in contents]
    # A page whose layers could not be matched (never seen, but never silently wrong): full render.
    return [pdf if overlay else render_certificate_pdf(content)
            for content, pdf, overlay in zip(contents, split, overlays, strict=True)]


def _chunks(items: Sequence[int], count: int) -> list[list[int]]:
    """``items`` cut into ``count`` consecutive chunks whose sizes differ by at most one."""
    size, extra = divmod(len(items), count)
    bounds = [i * size + min(i, extra) for i in range(count + 1)]
    return [list(items[bounds[i] : bounds[i + 1]]) for i in range(count)]


def _plan_chunks(groups: Sequence[Sequence[int]], chunk_size: int, workers: int) -> list[list[int]]:
    """Chunks of at most ``chunk_size`` per language group, evenly sized, and - when it costs no more
    than one extra chunk per group - as many as a multiple of ``workers``, so that no worker is left
    rendering a last chunk alone while the others idle (per-page cost does not depend on chunk size).
    Fewer chunks than workers stay as they are (a small batch is not worth forking for).
    """
    counts = [-(-len(group) // chunk_size) for group in groups]
    while workers <= sum(counts) and sum(counts) % workers:
        largest = max(range(len(groups)), key=lambda g: len(groups[g]) / counts[g])
        if counts[largest] >= len(groups[largest]):
            break
        counts[largest] += 1
    return [chunk for group, count in zip(groups, counts, strict=True) for chunk in _chunks(group, count)]


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
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    chunks = _plan_chunks(_group_by_language(contents), chunk_size, max(1, workers))
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
        max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=_worker_init
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
    Pages are layered (text layer from WeasyPrint, shared graphics layer, QR code drawn as
    rectangles; see the module docstring): same text, same look, same PDF/A catalog as the naive path.

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
