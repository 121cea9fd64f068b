"""The legal attestato: a course that satisfies an obligation prints the six minimum items of the
State-Regions Agreement of 17/04/2025 (Rep. Atti n. 59/CSR), Part I, point 6 "Attestazioni", the final
test's outcome and the tutor, in Italian and in English; no date of birth."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from academy.courses.models import Trainer
from academy.obligations.models import CourseModule, Obligation
from certificates import services
from certificates.rendering import extract_text, normalize_whitespace

FISCAL_CODE = "RSSMRA85T10A562S"


@pytest.fixture
def refresher(past_course):
    course = past_course(title="Aggiornamento sicurezza lavoratori", minutes=360)
    CourseModule.objects.create(course=course, obligation=Obligation.objects.get(code="workers-medium"),
                                title="Aggiornamento lavoratori", hours=6, delivery_mode="videoconference")
    course.tutor = Trainer.objects.create(name="Teresa Tutor")
    # saved without the admin's checks: these tests are about the attestato, not the final test the law asks
    # for (tests/obligations/test_course_rules.py), whose questions would make the certificate wait for it
    course.save(clean=False)
    return course


@pytest.fixture
def legal_settings(settings):
    settings.CERTIFICATES = {**settings.CERTIFICATES, "TRAINING_BODY": "Consorzio Formazione Sociale",
                             "LEGAL_REPRESENTATIVE": "Paola Rappresentante", "PLACE": "Bologna"}


def pdf_text(certificate) -> str:
    """What pdftotext (poppler) reads, as an inspector's tools would; pypdf when poppler is missing."""
    path = Path(settings.PRIVATE_ROOT) / certificate.pdf.name
    if shutil.which("pdftotext"):
        return normalize_whitespace(subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True,
                                                   text=True).stdout)
    return normalize_whitespace(extract_text(path.read_bytes()))


def issue(course, person, register, attend):
    register(course, person)
    attend(course, person, 360)
    return services.issue_certificate(course, person)


def test_attestato_prints_the_six_items_of_point_6(refresher, make_person, register, attend, legal_settings):
    person = make_person(first_name="Mario", last_name="Rossi", fiscal_code=FISCAL_CODE)
    certificate = issue(refresher, person, register, attend)
    text = pdf_text(certificate)
    obligation = Obligation.objects.get(code="workers-medium")
    for expected in (
        "Soggetto formatore: Consorzio Formazione Sociale",  # a)
        "Mario Rossi", f"Codice fiscale: {FISCAL_CODE}",  # b)
        f"Tipologia di corso: {normalize_whitespace(obligation.title)}", "Riferimento normativo",  # c)
        "Durata: 6 ore",  # c)
        "Modalità di erogazione: in videoconferenza sincrona",  # d)
        "Il legale rappresentante del soggetto formatore", "Paola Rappresentante",  # e)
        "Firmato digitalmente (PAdES)",  # e) the file's own signature
        "Rilasciato a Bologna il",  # f)
        "Verifica finale: superata", "Tutor: Teresa Tutor",
    ):
        assert expected in text, (expected, text)
    assert normalize_whitespace(obligation.legal_reference)[:40] in text
    assert "Data di nascita" not in text and "10 dicembre 1985" not in text


def test_attestato_in_english(refresher, make_person, register, attend, legal_settings):
    # The same six hours satisfy two obligations: the duration is the course's, not the modules' sum.
    CourseModule.objects.create(course=refresher, obligation=Obligation.objects.get(code="workers-high"),
                                title="Aggiornamento lavoratori", hours=6, delivery_mode="videoconference")
    person = make_person(first_name="John", last_name="Smith", fiscal_code=FISCAL_CODE, preferred_language="en")
    text = pdf_text(issue(refresher, person, register, attend))
    for expected in ("Training body: Consorzio Formazione Sociale", "Tax code (codice fiscale)", "Course type",
                     "Legal reference", "Duration: 6 hours", "Delivery mode: by real-time videoconference",
                     "The legal representative of the training body", "Issued in Bologna on", "Final test: passed",
                     "Tutor: Teresa Tutor", "Digitally signed (PAdES)"):
        assert expected in text, (expected, text)


def test_plain_courses_have_no_legal_items(past_course, make_person, register, attend):
    person = make_person(fiscal_code=FISCAL_CODE)
    plain = past_course(title="Webinar qualsiasi")
    register(plain, person)
    attend(plain, person, 90)
    certificate = services.issue_certificate(plain, person)
    assert services.content_for(certificate).legal is None
    text = pdf_text(certificate)
    assert FISCAL_CODE not in text and "Soggetto formatore" not in text and "Il Direttore dell'Academy" in text
