"""One certificate, one full WeasyPrint render, as tagged PDF/A-3a (archival and accessible; see
``docs/certificates.md``); and the text a verifier would extract from any certificate PDF."""

from __future__ import annotations

import io
import re

from .content import CertificateContent
from .html import STATIC_DIR, asset_base_url, render_html

PDF_VARIANT = "pdf/a-3a"
"""WeasyPrint PDF variant of a certificate rendered on its own: PDF/A-3 level A, i.e. archival *and*
tagged (structure tree, reading order, ``/Lang``), which PDF/UA-1 alone would not identify as PDF/A."""

def render_certificate_pdf(content: CertificateContent) -> bytes:
    """One certificate, one full WeasyPrint render: the only render path (many certificates are many
    tasks, see ``certificates.services.bulk``). The PDF is signed afterwards (``academy.core.signing``).

    The output is PDF/A-3a (``pdf_variant="pdf/a-3a"``, which turns WeasyPrint's ``pdf_tags`` on):
    archival, self-contained (fonts and the sRGB output intent embedded) and tagged for screen readers.
    """
    import weasyprint

    html = render_html([content], inline_css=True, asset_base=asset_base_url())
    return weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


def extract_text(pdf_bytes: bytes) -> str:
    """All text of a PDF (pages joined by newlines), as a verifier or a search indexer would see it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def normalize_whitespace(text: str) -> str:
    """Collapse runs of whitespace, so texts from differently-built PDFs can be compared."""
    return re.sub(r"\s+", " ", text).strip()
