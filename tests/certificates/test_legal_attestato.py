"""The legal attestato: a course that satisfies an obligation prints codice fiscale, legal reference,
hours by module and delivery mode, organiser (and the date of birth when configured)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from academy.obligations.models import CourseModule, Obligation
from certificates import services
from certificates.rendering import extract_text, normalize_whitespace

FISCAL_CODE = "RSSMRA85T10A562S"


@pytest.fixture
def refresher(past_course):
    course = past_course(title="Aggiornamento sicurezza lavoratori", minutes=360)
    CourseModule.objects.create(course=course, obligation=Obligation.objects.get(code="workers-medium"),
                                title="Aggiornamento lavoratori", hours=6, delivery_mode="videoconference")
    return course


def pdf_text(certificate) -> str:
    return normalize_whitespace(extract_text((Path(settings.PRIVATE_ROOT) / certificate.pdf.name).read_bytes()))


def test_attestato_of_a_mandatory_course_carries_the_legal_content(refresher, make_person, register, attend,
                                                                    settings):
    settings.CERTIFICATE_SHOW_BIRTH_DATE = True
    person = make_person(first_name="Mario", last_name="Rossi", fiscal_code=FISCAL_CODE)
    register(refresher, person)
    attend(refresher, person, 360)
    certificate = services.issue_certificate(refresher, person)
    text = pdf_text(certificate)
    reference = Obligation.objects.get(code="workers-medium").legal_reference
    for expected in (FISCAL_CODE, "Formazione obbligatoria", "Riferimento normativo",
                     "Aggiornamento lavoratori — 6 h in videoconferenza sincrona", "Soggetto organizzatore",
                     "Data di nascita: 10 dicembre 1985", "6 ore", "Mario Rossi"):
        assert expected in text, expected
    assert normalize_whitespace(reference)[:40] in text


def test_birth_date_only_when_configured_and_plain_courses_unchanged(refresher, past_course, make_person,
                                                                      register, attend):
    person = make_person(fiscal_code=FISCAL_CODE)
    register(refresher, person)
    attend(refresher, person, 360)
    text = pdf_text(services.issue_certificate(refresher, person))
    assert FISCAL_CODE in text and "Data di nascita" not in text
    plain = past_course(title="Webinar qualsiasi")
    register(plain, person)
    attend(plain, person, 90)
    content = services.content_for(services.issue_certificate(plain, person))
    assert content.legal is None
