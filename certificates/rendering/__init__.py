"""Attendance certificates ("attestati di partecipazione") as HTML and PDF.

* :mod:`.content` - what a certificate says (:class:`CertificateContent`, wording, formatting);
* :mod:`.qr` - the QR code of the verify URL;
* :mod:`.html` - the HTML page from the project's template;
* :mod:`.pdf` - one full WeasyPrint render per certificate (tagged PDF/A-3a) and text extraction.

There is one render path: many certificates are many renders, spread over the task queue's workers
(``certificates.services.bulk``). Signing is ``academy.core.signing``.
"""

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
from .pdf import PDF_VARIANT, extract_text, normalize_whitespace, render_certificate_pdf
from .qr import qr_code, qr_svg

__all__ = [
    "COURSE_KINDS", "LABELS", "LANGUAGES", "PDF_VARIANT", "CertificateContent", "extract_text", "format_date",
    "format_dates", "format_hours", "join_list", "normalize_whitespace", "qr_code", "qr_svg",
    "render_certificate_html", "render_certificate_pdf",
]
