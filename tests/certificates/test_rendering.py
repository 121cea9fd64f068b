"""Certificate HTML/PDF rendering: content, QR payload, PDF/A, a text layer that reads as words."""

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
)

from .pdf_checks import assert_tagged_pdfa3a, structure_tree

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


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_text_layer_reads_as_words_in_pdftotext(tmp_path, naive_pdf: bytes) -> None:
    """Letter-spaced headings came out of pdftotext as "ATT E S TAT O"; every heading reads as words."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(naive_pdf)
    text = normalize_whitespace(subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True,
                                               text=True).stdout)
    for words in ("ATTESTATO DI PARTECIPAZIONE", "RETE DELLE COOPERATIVE SOCIALI", "WEBINAR", "Academy"):
        assert words in text, (words, text[:200])


def test_a_long_certificate_keeps_everything() -> None:
    huge = make_content("Elena Marino", competences=[f"Competenza {i} " + "molto " * 12 for i in range(40)])
    assert "Competenza 39" in extract_text(render_certificate_pdf(huge))  # nothing clipped
