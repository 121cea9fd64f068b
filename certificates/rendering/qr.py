"""The printed QR code: its symbol for the verify URL, as inline SVG (full render) or as PDF path
operators (bulk render), drawing the same modules in the same box."""

from __future__ import annotations

from collections.abc import Sequence

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
