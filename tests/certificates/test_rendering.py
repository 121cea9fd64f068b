"""Certificate HTML/PDF rendering: content, QR payload, PDF/A, and bulk == naive."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
import segno
from pypdf import PdfReader

from certificates import rendering
from certificates.codes import new_public_code
from certificates.rendering import (
    LABELS,
    CertificateContent,
    extract_text,
    format_dates,
    format_hours,
    normalize_whitespace,
    qr_svg,
    render_certificate_html,
    render_certificate_pdf,
    render_certificates_pdf,
)

from .pdf_checks import assert_tagged_pdfa3a, marked_content, structure_tree

WEBINAR_TITLE = "La gestione della privacy tra tutela della salute e rispetto degli adempimenti"


def make_content(name: str = "Maria Grazia Esposito", **overrides: object) -> CertificateContent:
    code = overrides.pop("code", None) or new_public_code()
    values: dict[str, object] = {
        "code": code,
        "participant_name": name,
        "course_title": WEBINAR_TITLE,
        "course_kind": "webinar",
        "dates": [date(2025, 3, 12)],
        "hours": Decimal("2.50"),
        "trainers": ["Daniele Consoletti"],
        "areas": ["Privacy e protezione dei dati"],
        "competences": ["Applicare il GDPR ai dati sanitari", "Gestire il registro dei trattamenti"],
        "issued_on": date(2025, 3, 20),
        "verify_url": f"https://academy.example.org/verifica/{code}",
        "organisation": "Cooperativa Sociale Il Girasole",
    }
    values.update(overrides)
    return CertificateContent(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def content() -> CertificateContent:
    return make_content()


@pytest.fixture(scope="module")
def naive_pdf(content: CertificateContent) -> bytes:
    return render_certificate_pdf(content)


# ---------------------------------------------------------------------------------------------- helpers


def test_format_dates_groups_by_month() -> None:
    days = [date(2025, 3, 17), date(2025, 3, 3), date(2025, 3, 10), date(2025, 4, 2), date(2025, 3, 3)]
    assert format_dates(days, "it") == "3, 10 e 17 marzo 2025 e 2 aprile 2025"
    assert format_dates(days, "en") == "3, 10 and 17 March 2025 and 2 April 2025"
    assert format_dates([date(2024, 12, 1)], "it") == "1 dicembre 2024"


def test_format_hours() -> None:
    assert format_hours(Decimal("6.00"), "it") == "6"
    assert format_hours(Decimal("1.50"), "it") == "1,5"
    assert format_hours(1.5, "en") == "1.5"
    assert format_hours(8, "en") == "8"


def test_content_validates_kind_language_and_dates() -> None:
    with pytest.raises(ValueError):
        make_content(course_kind="seminar")
    with pytest.raises(ValueError):
        make_content(language="de")
    with pytest.raises(ValueError):
        make_content(dates=[])


# ---------------------------------------------------------------------------------------------- HTML


def test_html_contains_everything_in_italian(content: CertificateContent) -> None:
    html = render_certificate_html(content)
    for expected in (
        "Attestato di partecipazione",
        "Si attesta che",
        "Maria Grazia Esposito",
        "Cooperativa Sociale Il Girasole",
        "ha partecipato al webinar",
        WEBINAR_TITLE,
        "svoltosi il 12 marzo 2025",
        "per una durata complessiva di 2,5 ore",
        "Docente",
        "Daniele Consoletti",
        "Privacy e protezione dei dati",
        "Applicare il GDPR ai dati sanitari; Gestire il registro dei trattamenti",
        "Rilasciato il 20 marzo 2025",
        "Il Direttore dell&#x27;Academy",
        "Academy",
        "Rete delle cooperative sociali",
        content.code,
        content.verify_url,
        "size: A4 landscape",  # stylesheet is inlined
        "logo.svg",
        "signature.svg",
    ):
        assert expected in html, expected
    assert "REVOCATO" not in html


def test_html_in_english_for_a_masterclass() -> None:
    html = render_certificate_html(
        make_content(
            language="en",
            course_kind="masterclass",
            dates=[date(2025, 5, 6), date(2025, 5, 13)],
            hours=1,
            trainers=["Daniele Consoletti", "Giulia Ferraresi"],
        )
    )
    for expected in (
        "Certificate of attendance",
        "This is to certify that",
        "attended the masterclass",
        "held on 6 and 13 May 2025, for a total of 1 hour.",
        "Trainers",
        "Issued on 20 March 2025",
        "The Director of the Academy",
        'lang="en"',
    ):
        assert expected in html, expected
    assert "Attestato" not in html


def test_html_masterclass_italian_agreement() -> None:
    html = render_certificate_html(
        make_content(course_kind="masterclass", dates=[date(2025, 5, 6), date(2025, 5, 13)])
    )
    assert "ha partecipato alla masterclass" in html
    assert "svoltasi nelle giornate del 6 e 13 maggio 2025" in html


def test_html_escapes_user_data() -> None:
    html = render_certificate_html(make_content(name="<script>alert(1)</script> D'Amico"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_revoked_certificate_is_stamped() -> None:
    assert "REVOCATO" in render_certificate_html(make_content(revoked=True))
    assert "REVOKED" in render_certificate_html(make_content(revoked=True, language="en"))


def _svg_dark_modules(svg: str) -> set[tuple[int, int]]:
    """Decode segno's single-path SVG ("M x y h n m dx dy ...") back into dark (row, col) modules."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path
    modules: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]+)", path.group(1)):
        numbers = [float(n) for n in args.replace(",", " ").split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            length = numbers[0] if command == "h" else numbers[0] - x
            modules.update((int(y - 0.5), int(x + i)) for i in range(int(length)))
            x += length
    return modules


def test_qr_code_payload_is_exactly_the_verify_url(content: CertificateContent) -> None:
    html = render_certificate_html(content)
    svg = qr_svg(content.verify_url, title=LABELS["it"]["qr_alt"])
    assert svg in html
    assert html.count("<svg") == 1
    # The embedded SVG draws exactly the symbol segno builds for the verify URL and nothing else.
    qr = segno.make(content.verify_url, error="m", micro=False, boost_error=False)
    border = 2
    expected = {
        (r + border, c + border) for r, row in enumerate(qr.matrix) for c, dark in enumerate(row) if dark
    }
    assert _svg_dark_modules(svg) == expected
    assert qr.mode == "byte" or qr.mode == "alphanumeric"
    assert _svg_dark_modules(qr_svg(content.verify_url + "x")) != expected


# ---------------------------------------------------------------------------------------------- PDF


def test_naive_pdf_is_one_page_pdfa_with_extractable_text(
    content: CertificateContent, naive_pdf: bytes
) -> None:
    assert naive_pdf.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(naive_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp
    text = normalize_whitespace(extract_text(naive_pdf))
    for expected in (
        "ATTESTATO DI PARTECIPAZIONE",
        "Maria Grazia Esposito",
        WEBINAR_TITLE,
        "12 marzo 2025",
        "2,5 ore",
        "Daniele Consoletti",
        "Gestire il registro dei trattamenti",
        "Il Direttore dell'Academy",
        content.code,
        content.verify_url,
    ):
        assert expected in text, expected


def test_naive_pdf_is_tagged_and_still_pdfa(naive_pdf: bytes) -> None:
    reader = assert_tagged_pdfa3a(naive_pdf, "it")
    figures = [element for element in _flatten(structure_tree(reader.trailer["/Root"])) if element[0] == "/Figure"]
    # Logo, signature and QR code, each with its alternative text.
    assert [alt for _, alt, _, _ in figures] == ["Academy", "Il Direttore dell'Academy", LABELS["it"]["qr_alt"]]


def _flatten(tree: tuple) -> list[tuple]:
    return [node for element in tree for node in (element, *_flatten(element[3]))]


def test_bulk_pdfs_match_naive_pdfs() -> None:
    contents = [
        make_content("Giuseppe Russo"),
        make_content("Francesca Bianchi", language="en", hours=Decimal("6")),
        make_content("Luca Ferrari", course_kind="masterclass", dates=[date(2025, 5, 6), date(2025, 5, 13)]),
        make_content("Chiara Romano", revoked=True),
        make_content("Alessandro Colombo", organisation=None, areas=[], competences=[]),
        make_content(
            "Sofia Ricci",
            course_title="Il lavoro sociale di comunità nelle cooperative di tipo A e B: strumenti, metodi e "
            "buone pratiche per l'inclusione lavorativa delle persone svantaggiate",
            competences=[f"Competenza trasversale numero {i} per il lavoro di rete" for i in range(8)],
        ),
    ]
    # chunk_size=2 + 2 workers: exercises chunking, the language split and the process pool.
    bulk = render_certificates_pdf(contents, chunk_size=2, workers=2)
    assert len(bulk) == len(contents)
    for content, pdf in zip(contents, bulk, strict=True):
        # Tagged PDF/A-3a like the single path: its own structure tree, pointing at its page's content.
        reader = assert_tagged_pdfa3a(pdf, content.language)
        naive = render_certificate_pdf(content)
        # Same structure (element types, alternative texts, how much marked content each holds) ...
        naive_root = PdfReader(io.BytesIO(naive)).trailer["/Root"]
        assert structure_tree(reader.trailer["/Root"]) == structure_tree(naive_root)
        # ... and the same text, in input order.
        bulk_text = normalize_whitespace(extract_text(pdf))
        assert bulk_text == normalize_whitespace(extract_text(naive))
        assert content.participant_name in bulk_text


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")
def test_bulk_structure_reads_like_the_single_path_in_poppler(tmp_path) -> None:
    """An independent reader (poppler) follows the bulk file's tree to the same texts in the same order."""
    content = make_content("Teresa Longo", language="en")
    dumps = []
    for name, pdf in (("naive", render_certificate_pdf(content)),
                      ("bulk", render_certificates_pdf([content, make_content()], workers=1)[0])):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        dumps.append(subprocess.run(["pdfinfo", "-struct-text", tmp_path / f"{name}.pdf"], check=True,
                                    capture_output=True, text=True).stdout)
    naive_dump, bulk_dump = dumps
    assert '"Teresa Longo"' in bulk_dump and '"CERTIFICATE OF ATTENDANCE"' in bulk_dump
    assert bulk_dump == naive_dump


def test_bulk_in_process_and_empty() -> None:
    assert render_certificates_pdf([]) == []
    contents = [make_content("Anna Gallo"), make_content("Marco Conti")]
    pdfs = render_certificates_pdf(contents, workers=1)
    assert ["Anna Gallo" in extract_text(pdfs[0]), "Marco Conti" in extract_text(pdfs[1])] == [True, True]


def test_overflowing_certificate_falls_back_to_its_own_document() -> None:
    huge = make_content("Elena Marino", competences=[f"Competenza {i} " + "molto " * 12 for i in range(40)])
    pdfs = render_certificates_pdf([huge, make_content("Paolo Greco")], workers=1)
    assert len(pdfs) == 2
    assert "Competenza 39" in extract_text(pdfs[0])  # nothing clipped, even if it needs 2 pages
    assert len(PdfReader(io.BytesIO(pdfs[1])).pages) == 1


# ---------------------------------------------------------------------------------------------- bulk layers

MM = 72 / 25.4


def _drawn_qr_modules(pdf: bytes) -> tuple[set[tuple[int, int]], float, float, float]:
    """Decode the QR the bulk path draws (``x y w h re`` runs after the last colour) into dark
    (row, column) modules; also return the module size and the symbol's right and top edges (pt)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    data = page.get_contents().get_data().decode("latin-1")
    drawing = data[data.rindex(" rg") :]
    rects = [tuple(map(float, r)) for r in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re", drawing)]
    assert rects
    module = rects[0][3]
    assert all(abs(h - module) < 0.01 for *_, h in rects)
    left = min(x for x, *_ in rects)
    top = max(y + h for _, y, _, h in rects)
    modules: set[tuple[int, int]] = set()
    for x, y, w, h in rects:
        row, col = round((top - y - h) / module), round((x - left) / module)
        modules.update((row, col + i) for i in range(round(w / module)))
    right = max(x + w for x, _, w, _ in rects)
    return modules, module, right, top


def test_bulk_draws_the_qr_code_of_the_verify_url_in_the_qr_box() -> None:
    content = make_content("Giulia Conti")
    pdf = render_certificates_pdf([content, make_content("Luca Gallo")], workers=1)[0]
    modules, module, right, _ = _drawn_qr_modules(pdf)
    matrix = segno.make(content.verify_url, error="m", micro=False, boost_error=False).matrix
    assert modules == {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}
    # Same geometry as the SVG of the full render: a 28 mm box (quiet zone of 2 modules included)
    # whose right edge is 22 mm from the right edge of the A4 landscape page.
    assert module == pytest.approx(28 * MM / (len(matrix) + 4), abs=0.01)
    assert right + 2 * module == pytest.approx((297 - 22) * MM, abs=0.05)
    assert content.verify_url not in str(rendering.qr_runs(matrix))  # the drawing carries no text
    other = segno.make(content.verify_url + "x", error="m", micro=False, boost_error=False).matrix
    assert modules != {(r, c) for r, row in enumerate(other) for c, dark in enumerate(row) if dark}


def test_bulk_page_stamps_the_graphics_layer_once_per_page() -> None:
    pdfs = render_certificates_pdf([make_content("Anna Rizzo"), make_content("Paolo Leone")], workers=1)
    for pdf in pdfs:
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        form = page["/Resources"]["/XObject"][rendering.GRAPHICS_XOBJECT].get_object()
        assert form["/Subtype"] == "/Form"
        assert page.get_contents().get_data().count(f"{rendering.GRAPHICS_XOBJECT} Do".encode()) == 1
        assert b"BT" not in form.get_data()  # no text in the shared layer: extraction order is untouched
        # The shared layer and the QR code repeat what the tags say (alternative texts, the printed
        # URL): both are artifacts, so the structure tree stays WeasyPrint's.
        _, painted, unmarked = marked_content(page, PdfReader(io.BytesIO(pdf)))
        assert unmarked == 0
        assert painted[b"Do"] == {"/Artifact"} and painted[b"f"] == {"/Artifact"}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_bulk_page_looks_like_the_full_render(tmp_path) -> None:
    """Rasterised, the layered page and the full render differ only by anti-aliasing at QR edges."""
    from PIL import Image, ImageChops

    content = make_content("Stefano Moretti", revoked=True)
    images = []
    for name, pdf in (("naive", render_certificate_pdf(content)),
                      ("bulk", render_certificates_pdf([content, make_content()], workers=1)[0])):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", tmp_path / f"{name}.pdf",
                        tmp_path / name], check=True)
        images.append(Image.open(tmp_path / f"{name}.png").convert("L"))
    naive, bulk = images
    assert naive.size == bulk.size
    differing = ImageChops.difference(naive, bulk).point(lambda v: 255 if v > 96 else 0)
    box = differing.getbbox()
    qr_side = 28 / 25.4 * 100  # the 28 mm QR box at 100 dpi
    assert box is None or (box[2] - box[0] <= qr_side + 2 and box[3] - box[1] <= qr_side + 2)
    assert differing.histogram()[255] < 0.002 * naive.size[0] * naive.size[1]
