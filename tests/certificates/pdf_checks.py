"""Offline checks of a tagged PDF/A-3a certificate, in the spirit of veraPDF (which is not available
here): the PDF/A identification and catalog, embedded fonts, a structure tree that really points at
the page's marked content, and no painted content left outside marked content."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

PAINTING = {b"TJ", b"Tj", b"'", b'"', b"Do", b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"sh", b"BI"}


def structure_tree(root: Any) -> tuple:
    """The tree as nested ``(type, alternative text, number of MCIDs, children)``, comparable across files."""

    def walk(element: Any) -> tuple:
        element = element.get_object()
        kids = element.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        mcids = [kid for kid in kids if isinstance(kid, int)]
        children = tuple(walk(kid) for kid in kids if not isinstance(kid, int))
        return (str(element.get("/S")), element.get("/Alt"), len(mcids), children)

    return tuple(walk(kid) for kid in root["/StructTreeRoot"].get_object()["/K"])


def _elements_by_mcid(root: Any) -> dict[int, int]:
    """MCID -> object number of the structure element whose ``/K`` holds it (one-page files)."""
    found: dict[int, int] = {}
    pending = list(root["/StructTreeRoot"].get_object()["/K"])
    while pending:
        reference = pending.pop()
        element = reference.get_object()
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                assert kid not in found, f"MCID {kid} claimed twice"
                found[kid] = reference.idnum
            else:
                assert kid.get_object().raw_get("/P").idnum == reference.idnum, "a child whose /P is not its parent"
                pending.append(kid)
    return found


def marked_content(page: Any, reader: PdfReader) -> tuple[set[int], dict[bytes, set[str]], int]:
    """What the page's content marks: the MCIDs it opens, for each painting operator the tags of the
    marked-content sequences it appears in, and how many painting operators are in none.

    Form XObjects painted with ``Do`` are followed, inside the sequence that paints them: WeasyPrint
    draws a transformed box (the REVOKED stamp) in a form whose MCIDs count with the page's.
    """
    stack: list[str] = []
    mcids: set[int] = set()
    painted: dict[bytes, set[str]] = {}
    unmarked = 0

    def walk(stream: Any, resources: Any) -> None:
        nonlocal unmarked
        xobjects = resources.get_object().get("/XObject", {}) if resources is not None else {}
        for operands, operator in ContentStream(stream, reader).operations:
            if operator in (b"BDC", b"BMC"):
                stack.append(str(operands[0]))
                if operator == b"BDC" and "/MCID" in operands[1]:
                    mcid = int(operands[1]["/MCID"])
                    assert mcid not in mcids, f"MCID {mcid} opened twice"
                    mcids.add(mcid)
            elif operator == b"EMC":
                stack.pop()
            elif operator in PAINTING:
                if stack:
                    painted.setdefault(operator, set()).add(stack[-1])
                xobject = xobjects[operands[0]].get_object() if operator == b"Do" else None
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources"))  # what it paints is checked inside
                elif not stack:
                    unmarked += 1

    walk(page.get_contents(), page.get("/Resources"))
    assert not stack, "unbalanced marked content"
    return mcids, painted, unmarked


def _embedded(font: Any) -> bool:
    font = font.get_object()
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(descendant) for descendant in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _fonts(resources: Any) -> list[Any]:
    resources = resources.get_object() if resources is not None else {}
    fonts = list(resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            fonts += _fonts(xobject.get("/Resources"))
    return fonts


def assert_tagged_pdfa3a(pdf: bytes, language: str) -> PdfReader:
    """Fail unless ``pdf`` is a one-page tagged PDF/A-3a certificate in ``language``."""
    assert pdf.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.is_encrypted and len(reader.pages) == 1
    root = reader.trailer["/Root"]
    assert reader.trailer.get("/ID")
    # PDF/A identification and catalog: XMP says part 3, level A; Info agrees with it; sRGB intent.
    xmp = root["/Metadata"].get_object().get_data()
    assert re.search(rb'pdfaid:part="3"', xmp) and re.search(rb'pdfaid:conformance="A"', xmp)
    title = reader.metadata.get("/Title")
    assert title and reader.xmp_metadata.dc_title["x-default"] == title
    intents = [intent.get_object() for intent in root["/OutputIntents"]]
    assert any(intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent for intent in intents)
    page = reader.pages[0]
    assert all(_embedded(font) for font in _fonts(page.get("/Resources")))
    # Tagged: flags, language, and a tree whose MCIDs are exactly those the page opens, each mapped
    # back to its element by the parent tree under the page's /StructParents key.
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == language
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    by_mcid = _elements_by_mcid(root)
    mcids, painted, unmarked = marked_content(page, reader)
    assert mcids and set(by_mcid) == mcids
    nums = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = dict(zip(nums[::2], nums[1::2], strict=True))[page["/StructParents"]]
    assert {mcid: parents[mcid].idnum for mcid in mcids} == by_mcid
    # Every painted thing is either tagged content or an artifact.
    assert unmarked == 0, f"{unmarked} painting operators outside marked content"
    assert painted[b"TJ"] == {"/Span"}  # all text is tagged
    return reader
