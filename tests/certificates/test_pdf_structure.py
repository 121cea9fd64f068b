"""The bulk split carries each page's structure tree over, or refuses the page (never a false claim)."""

from __future__ import annotations

import io

import weasyprint
from pypdf import PdfReader

from certificates import rendering
from certificates.rendering import extract_text, render_certificates_pdf
from certificates.rendering import layers as layers_module
from certificates.rendering.layers import split_pdf

from .pdf_checks import assert_tagged_pdfa3a, structure_tree
from .test_rendering import make_content

TWO_PAGES = """<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Prova</title>
<style>section { page-break-after: always }</style></head><body>
<section><h1>Prima pagina</h1><p>Solo testo.</p></section>
<section><p>Seconda pagina con un <a href="https://example.org/">collegamento</a>.</p></section>
</body></html>"""


def test_split_keeps_each_pages_tree_and_refuses_a_page_it_cannot_copy() -> None:
    pdf = weasyprint.HTML(string=TWO_PAGES).write_pdf(pdf_variant="pdf/a-3a")
    first, second = split_pdf(pdf, 2)
    reader = assert_tagged_pdfa3a(first, "it")
    (document,) = structure_tree(reader.trailer["/Root"])
    assert document[0] == "/Document"
    assert [element[0] for element in document[3]] == ["/Sect"]  # only this page's section
    assert "Prima pagina" in extract_text(first)
    # A link is tagged through its annotation (/OBJR), which the copy does not carry: no file.
    assert second is None


def test_split_of_an_untagged_pdf_stays_untagged() -> None:
    pdf = weasyprint.HTML(string=TWO_PAGES).write_pdf(pdf_variant="pdf/a-3b")
    for part in split_pdf(pdf, 2):
        root = PdfReader(io.BytesIO(part)).trailer["/Root"]
        assert "/StructTreeRoot" not in root and "/MarkInfo" not in root


def test_bulk_renders_a_certificate_on_its_own_when_its_tree_cannot_be_copied(monkeypatch) -> None:
    calls = []

    def fails_for_the_second_page(structure, page, written, writer):
        calls.append(page)
        return len(calls) != 2 and copy(structure, page, written, writer)

    copy = layers_module.copy_page_structure
    monkeypatch.setattr(layers_module, "copy_page_structure", fails_for_the_second_page)
    contents = [make_content("Anna Rizzo"), make_content("Paolo Leone"), make_content("Rosa Serra")]
    pdfs = render_certificates_pdf(contents, workers=1)
    assert len(calls) == 3
    for content, pdf in zip(contents, pdfs, strict=True):
        reader = assert_tagged_pdfa3a(pdf, "it")  # every file tagged, whichever way it was made
        assert content.participant_name in extract_text(pdf)
        stamped = rendering.GRAPHICS_XOBJECT in reader.pages[0]["/Resources"].get("/XObject", {})
        assert stamped == (content is not contents[1])  # the second one is a full render
