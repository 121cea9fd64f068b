"""Attendance certificates ("attestati di partecipazione") as HTML and PDF.

* :mod:`.content` - what a certificate says (:class:`CertificateContent`, wording, formatting);
* :mod:`.qr` - the QR code of the verify URL;
* :mod:`.html` - the HTML page from the project's template;
* :mod:`.pdf` - one full WeasyPrint render per certificate (tagged PDF/A-3a) and text extraction;
* :mod:`.layers`, :mod:`.structure` and :mod:`.bulk` - the bulk path: chunks of pages in one document,
  split per page with each page's structure tree, shared graphics drawn once, rendered by forked
  workers.

Both paths print the same text with the same look, both tagged PDF/A-3a; the bulk path is what the
bulk issue uses.
"""

from .bulk import DEFAULT_CHUNK_SIZE, iter_certificates_pdf, render_certificates_pdf
from .content import (
    COURSE_KINDS,
    LABELS,
    LANGUAGES,
    CertificateContent,
    format_date,
    format_dates,
    format_hours,
    join_list,
)
from .html import render_certificate_html
from .layers import GRAPHICS_XOBJECT
from .pdf import PDF_VARIANT, extract_text, normalize_whitespace, render_certificate_pdf
from .qr import qr_code, qr_content_stream, qr_runs, qr_svg

__all__ = [
    "COURSE_KINDS", "DEFAULT_CHUNK_SIZE", "GRAPHICS_XOBJECT", "LABELS", "LANGUAGES", "PDF_VARIANT",
    "CertificateContent", "extract_text", "format_date", "format_dates", "format_hours",
    "iter_certificates_pdf", "join_list", "normalize_whitespace", "qr_code", "qr_content_stream", "qr_runs",
    "qr_svg", "render_certificate_html", "render_certificate_pdf", "render_certificates_pdf",
]
