"""The layered pages of the bulk path.

WeasyPrint renders only a *text layer* (same template, ``layer="text"``: frame and images laid out but
``visibility: hidden``, an empty SVG where the QR code goes). The *graphics layer* (frame, logo,
signature; no text) is rendered once per worker from the same template and stamped under each split
page as a Form XObject; the QR code is drawn over it as filled rectangles at the box WeasyPrint laid
out for it. Both layers share the full page's layout, so the result looks the same as the full render
(a test rasterises both) and pypdf extracts the same text in the same order.

The text layer is written tagged (PDF/A-3a), so it carries the whole structure: every text run, and a
``/Figure`` with its alternative text for the logo, the signature and the QR code (their marked content
is empty, the pictures come from the stamps). The split keeps the PDF/A-3a catalog (output intent,
XMP, ``/MarkInfo``, ``/Lang``, trailer ID) and each page's part of the structure tree
(:mod:`.structure`); the stamps are a Form XObject and plain path operators, both marked as
``/Artifact``, which PDF/A-3a allows.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .content import CertificateContent
from .html import STATIC_DIR, asset_base_url, render_html, stylesheet_text
from .structure import copy_page_structure, read_structure

# Per-process caches for the bulk path. Keyed on the pid so that forked workers build their own
# objects (FontConfiguration wraps fontconfig/pango handles that should not be shared across fork).
_BULK_STATE: dict[int, tuple[Any, Any, dict[str, Any], dict[Any, Any]]] = {}


def bulk_state() -> tuple[Any, Any, dict[str, Any], dict[Any, Any]]:
    """(FontConfiguration, parsed stylesheet, image cache, graphics layers) for this process."""
    pid = os.getpid()
    state = _BULK_STATE.get(pid)
    if state is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        stylesheet = CSS(string=stylesheet_text(), font_config=font_config)
        state = (font_config, stylesheet, {}, {})
        _BULK_STATE.clear()
        _BULK_STATE[pid] = state
    return state


PX_TO_PT = 0.75
"""WeasyPrint lays out in CSS pixels (96 per inch); PDF user space is in points (72 per inch)."""

GRAPHICS_XOBJECT = "/CertificateGraphics"

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageGeometry:
    """Where the bulk path must draw what the text layer leaves out, read from WeasyPrint's layout.

    ``graphics`` - the frame's border box and each image's content box (CSS px, rounded), which is
    also the key of the graphics layer that fits this page; ``qr`` - the empty QR box.
    """

    graphics: tuple[tuple[str, Box], ...]
    qr: Box | None


def page_geometry(page: Any) -> PageGeometry:
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
    return PageGeometry(graphics=tuple(graphics), qr=qr)


@dataclass
class GraphicsLayer:
    """The frame, logo and signature drawn once (no text): content stream, resources, page box."""

    content: bytes
    resources: Any
    mediabox: Any


def graphics_layer(content: CertificateContent, geometry: PageGeometry) -> GraphicsLayer | None:
    """The graphics layer fitting pages of this geometry, rendered once per worker process.

    Rendered from the same template (``layer="graphics"``: everything but frame and images hidden,
    still laid out), so it lines up with the text layer; ``None`` if its layout does not match
    ``geometry`` (the caller then renders that certificate in full).
    """
    import weasyprint
    from pypdf import PdfReader

    font_config, stylesheet, image_cache, layers = bulk_state()
    if geometry.graphics in layers:
        return layers[geometry.graphics]
    html = render_html([content], inline_css=False, asset_base=asset_base_url(), layer="graphics")
    document = weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).render(
        stylesheets=[stylesheet], font_config=font_config, cache=image_cache
    )
    if len(document.pages) != 1 or page_geometry(document.pages[0]).graphics != geometry.graphics:
        return None
    page = PdfReader(io.BytesIO(document.write_pdf())).pages[0]
    layer = GraphicsLayer(page.get_contents().get_data(), page["/Resources"], page.mediabox)
    layers[geometry.graphics] = layer
    return layer


def split_pdf(
    pdf: bytes,
    expected_pages: int,
    overlays: Sequence[tuple[GraphicsLayer, bytes] | None] | None = None,
) -> list[bytes | None] | None:
    """Split a multi-page PDF into one PDF per page, keeping the PDF/A catalog entries and, for a
    tagged PDF, each page's part of the structure tree (see :mod:`.structure`).

    ``overlays`` (bulk path) gives per page the graphics layer to stamp under the page, as a Form
    XObject, and the content stream to draw over it (the QR code); ``None`` leaves a page as it is.
    Returns ``None`` when the page count is not the expected one (a certificate overflowed its page),
    so the caller can fall back to rendering that chunk one by one; a page of a tagged PDF whose
    structure could not be carried over is ``None`` in the list (the caller renders it on its own).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) != expected_pages:
        return None
    root = reader.trailer["/Root"]
    info = reader.metadata
    tagged = "/StructTreeRoot" in root
    structure = read_structure(root) if tagged else None
    outputs: list[bytes | None] = []
    for index, page in enumerate(reader.pages):
        writer = PdfWriter()
        writer.pdf_header = reader.pdf_header  # PDF/A-3 needs the 1.7 header WeasyPrint wrote
        written = writer.add_page(page)
        if tagged and (structure is None or not copy_page_structure(structure, page, written, writer)):
            outputs.append(None)
            continue
        overlay = overlays[index] if overlays else None
        if overlay is not None:
            _stamp(writer, written, *overlay)
        # PDF/A: the output intent (ICC profile) and XMP metadata live in the catalog, not the page;
        # so do the tagged-PDF flags (/MarkInfo, /Lang, the title shown instead of the file name).
        for key in ("/OutputIntents", "/Metadata", "/Lang", "/MarkInfo", "/ViewerPreferences"):
            if key in root:
                writer._root_object[NameObject(key)] = root.raw_get(key).clone(writer)
        if info:  # Info must agree with the copied XMP (title, producer) for PDF/A
            writer.add_metadata(dict(info))
        writer.generate_file_identifiers()  # PDF/A requires a trailer /ID
        buffer = io.BytesIO()
        writer.write(buffer)
        outputs.append(buffer.getvalue())
    return outputs


def _stamp(writer: Any, written: Any, layer: GraphicsLayer, drawing: bytes) -> None:
    """Draw ``layer`` (as a Form XObject) under the page ``written`` and ``drawing`` over it.

    Both are marked as artifacts, outside the page's marked content (as WeasyPrint marks borders and
    backgrounds): they repeat what the tagged page already says (the images' alternative texts, the
    printed verify URL), so assistive technology skips them and the structure tree stays as tagged.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

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
    resources["/XObject"].get_object()[NameObject(GRAPHICS_XOBJECT)] = writer._add_object(form.flate_encode())
    # The page's own stream may leave its coordinate transform in place: wrap it in q/Q so the QR
    # code is drawn in default user space, like the graphics layer.
    under, over = DecodedStreamObject(), DecodedStreamObject()
    under.set_data(f"/Artifact BMC q {GRAPHICS_XOBJECT} Do Q EMC\nq\n".encode("ascii"))
    over.set_data(b"Q\n/Artifact BMC\n" + drawing + b"EMC\n")
    contents = written.raw_get("/Contents")
    original = contents.get_object()
    streams = list(original) if isinstance(original, ArrayObject) else [contents]
    written[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(under), *streams, writer._add_object(over.flate_encode())]
    )
