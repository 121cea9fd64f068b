"""A register's completeness: learners without codice fiscale, learners not identified individually in
the Teams report (anonymous or shared identity), distance sessions without a tutor. Staff see it before
generating, the register PDF marks it, the plan summary refuses to call itself complete; the PDFs are
PDF/A-3a."""

from __future__ import annotations

import datetime
import io
import re

from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from academy.attendance.intervals import replace_intervals
from academy.attendance.services import record_minutes
from academy.courses.models import Trainer
from academy.funding.services import documents
from academy.funding.services.completeness import ANONYMOUS, SHARED, plan_gaps, register_gaps
from academy.funding.services.registers import plan_summary, session_register
from certificates.rendering import extract_text, normalize_whitespace


def pdf_text(pdf: bytes) -> str:
    return normalize_whitespace(extract_text(pdf))


def test_learner_without_codice_fiscale_is_flagged_before_and_in_the_pdf(funded, client, admin_user):
    gaps = register_gaps(session_register(funded.session))
    assert [learner.full_name for learner in gaps.missing_fiscal_code] == ["Carla Verdi"] and not gaps.complete
    client.force_login(admin_user)
    for url in (reverse("funding_plan_files", args=[funded.plan.pk]), reverse("funding:plan", args=[funded.plan.pk])):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
        page = response.content.decode()
        assert 'data-testid="plan-gaps"' in page and "Carla Verdi" in page, url
    with translation.override("it"):
        text = pdf_text(documents.register_pdf(session_register(funded.session)))
        summary = pdf_text(documents.summary_pdf(plan_summary(funded.plan)))
    assert "REGISTRO INCOMPLETO" in text and "1 discente senza codice fiscale: Carla Verdi" in text
    assert "MANCANTE" in text
    assert "INCOMPLETO" in summary and "Completo:" not in summary


def test_anonymous_and_shared_teams_identities_are_flagged(funded, make_person):
    start = funded.session.starts_at
    # Dario's minutes reached him only through an anonymous entry staff assigned: no login of his own.
    dario = make_person(first_name="Dario", last_name="Neri", fiscal_code="NREDRA80A01H501Z")
    record_minutes(funded.session, dario, 100, "teams")
    # Elena sat at Carla's screen: the same connection, the same login and logout times.
    elena = make_person(first_name="Elena", last_name="Blu", fiscal_code="BLULNE80A41H501Y")
    replace_intervals(funded.session, elena, "teams", [(start, start + datetime.timedelta(minutes=83))])
    for person in (dario, elena):
        funded.course.registrations.create(person=person, status="confirmed")
    gaps = register_gaps(session_register(funded.session))
    assert gaps.not_identified == {dario.pk: ANONYMOUS, elena.pk: SHARED, funded.carla.pk: SHARED}
    assert funded.anna.pk not in gaps.not_identified
    with translation.override("it"):
        text = pdf_text(documents.register_pdf(session_register(funded.session)))
    assert text.count("identità Teams condivisa: non identificato individualmente") == 2
    assert "identità Teams anonima: non identificato individualmente" in text
    assert {s.session.pk: s.not_identified for s in plan_gaps(plan_summary(funded.plan)).sessions} == {
        funded.session.pk: gaps.not_identified}


def test_a_complete_register_lists_everyone_with_codice_fiscale_and_times(funded):
    funded.carla.fiscal_code = "VRDCRL80A41H501T"
    funded.carla.save()
    assert register_gaps(session_register(funded.session)).tutor_missing  # a distance session, no tutor yet
    funded.course.tutor = Trainer.objects.create(name="Tiziana Tutor")
    funded.course.save()
    register = session_register(funded.session)
    assert register_gaps(register).complete and plan_gaps(plan_summary(funded.plan)).complete
    with translation.override("it"):
        pdf = documents.register_pdf(register)
        summary = pdf_text(documents.summary_pdf(plan_summary(funded.plan)))
    text = pdf_text(pdf)
    assert "Registro completo" in text and "INCOMPLETO" not in text and "Tiziana Tutor" in text
    for row in register.rows:
        assert row.learner.full_name in text and row.learner.fiscal_code in text
        assert row.first_login.strftime("%H:%M:%S") in text and row.last_logout.strftime("%H:%M:%S") in text
    assert "Completo:" in summary and "INCOMPLETO" not in summary


def test_registers_summaries_and_declarations_are_pdfa(funded):
    summary = plan_summary(funded.plan)
    for pdf in (documents.register_pdf(session_register(funded.session)), documents.summary_pdf(summary),
                documents.declaration_pdf(funded.plan, summary)):
        reader = PdfReader(io.BytesIO(pdf))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        assert re.search(rb'pdfaid:part="3"', xmp) and re.search(rb'pdfaid:conformance="A"', xmp)
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
