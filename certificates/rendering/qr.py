"""The printed QR code: its symbol for the verify URL, as inline SVG."""

from __future__ import annotations

import segno

QR_BORDER = 2
"""Quiet zone of the QR code, in modules (inside the 28 mm box, as in the SVG's viewBox)."""
QR_DARK = "#1b2a4a"


def qr_code(payload: str) -> segno.QRCode:
    """The QR symbol for ``payload`` (the verify URL): error correction M survives a smudged print."""
    return segno.make(payload, error="m", micro=False, boost_error=False)


def qr_svg(payload: str, title: str | None = None) -> str:
    """Inline SVG QR code whose payload is exactly ``payload`` (the verify URL).

    Size comes from CSS (the SVG only has a viewBox). ``title`` becomes the SVG's ``<title>``, which
    WeasyPrint writes as the alternative text of the QR code's ``/Figure`` in a tagged PDF.
    """
    return qr_code(payload).svg_inline(
        scale=1, border=QR_BORDER, omitsize=True, svgclass="qr", lineclass=None, dark=QR_DARK, title=title
    )
