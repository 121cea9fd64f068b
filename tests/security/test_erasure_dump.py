"""Erasure leaves nothing behind: after a person is erased, every table of the database and every private
or media file is searched for their name, e-mail and codice fiscale. The only hits allowed are the ones
the privacy notice lists as kept under a legal obligation (the course file of funded or mandatory training,
see ``docs/privacy.md``)."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from academy.attendance.services import correct
from academy.core import privacy
from academy.core.models import OutboxMessage
from academy.network.privacy import anonymise_person
from certificates.models import Certificate, CertificateEvent
from certificates.rendering.pdf import extract_text
from certificates.services.delivery import pdf_bytes, write_course_zip

from .conftest import FISCAL_CODE


def _needles(person) -> list[str]:
    return [person.email.lower(), FISCAL_CODE.lower(), person.last_name.lower(), person.full_name.lower()]


def _database_hits(needles: list[str]) -> dict[str, int]:
    """Hits per table: every concrete model serialised, field by field."""
    hits: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for obj in model._base_manager.all().iterator():
            text = serializers.serialize("json", [obj]).lower()
            if any(n in text for n in needles):
                hits[model._meta.db_table] = hits.get(model._meta.db_table, 0) + 1
    return hits


def _file_text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        try:
            return extract_text(data) + data.decode("latin-1")
        except Exception:  # a fixture's fake PDF
            return data.decode("latin-1")
    return data.decode("utf-8", errors="replace")


def _file_hits(needles: list[str]) -> dict[str, int]:
    hits: dict[str, int] = {}
    for root in (Path(settings.PRIVATE_ROOT), Path(settings.MEDIA_ROOT)):
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file():
                text = (_file_text(path) + str(path)).lower()
                if any(n in text for n in needles):
                    hits[str(path.relative_to(root.parent))] = 1
    return hits


@pytest.fixture
def traced(world):
    """The world, plus the traces the review found left behind: a corrected attendance whose reason
    names the person, a revoked-and-noted certificate event, sent mail with its PDF attachment, and
    Wagtail's and Django's admin logs of an edit of the person."""
    person, staff = world.registrant, world.staff
    session = world.past_course.sessions.first()
    correct(session, person, session.planned_minutes, by=staff,
            reason=f"Mario Segreto ({person.email}) ha scritto: era presente")
    CertificateEvent.objects.create(certificate=world.certificate, action=CertificateEvent.Action.EMAILED,
                                    by=staff, note=f"re-sent to {person.email}, CF {FISCAL_CODE}")
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT, sent_at=timezone.now())
    OutboxMessage.objects.create(key="hr-digest:1", to="hr@nazareth.coop", subject="Digest",
                                 body=f"Mario Segreto <{person.email}> ha completato il corso",
                                 status=OutboxMessage.Status.SENT)
    log(instance=person, action="wagtail.edit", user=staff)
    LogEntry.objects.log_action(staff.pk, ContentType.objects.get_for_model(person).pk, person.pk,
                                str(person), CHANGE, change_message=f"e-mail {person.email}")
    pdf_bytes(world.certificate)  # the PDF file exists
    return world


def test_erasure_leaves_no_trace_in_the_database_or_the_files(traced):
    person = traced.registrant
    needles = _needles(person)
    assert _database_hits(needles) and _file_hits(needles)  # the search does find them before

    anonymise_person(person, by=traced.staff)

    assert _database_hits(needles) == {}
    assert _file_hits(needles) == {}


def test_an_erased_persons_certificate_no_longer_verifies_and_leaves_the_course_zip(traced, client):
    anonymise_person(traced.registrant, by=traced.staff)
    certificate = Certificate.objects.get(pk=traced.certificate.pk)
    assert certificate.status == Certificate.Status.REVOKED and not certificate.pdf
    response = client.get(reverse("certificates:verify_code", args=[certificate.code]))
    assert response.status_code == 200 and "Segreto" not in response.content.decode()
    assert response.context["state"] == "revoked"
    buffer = io.BytesIO()
    assert write_course_zip(traced.past_course, buffer) == 0
    assert zipfile.ZipFile(buffer).namelist() == []


def test_a_course_file_under_legal_hold_keeps_the_certificate_and_its_pdf(traced):
    """Funded or mandatory training (art. 17(3)(b)): a registered hold keeps the certificate valid, with its
    PDF, until the hold expires; everything else is still erased."""
    until = timezone.now() + datetime.timedelta(days=3650)
    course_id = traced.past_course.pk
    privacy.register_hold("test-fund", lambda course: until if course.pk == course_id else None)
    try:
        anonymise_person(traced.registrant, by=traced.staff)
    finally:
        privacy.unregister_hold("test-fund")
    certificate = Certificate.objects.get(pk=traced.certificate.pk)
    assert certificate.status == Certificate.Status.VALID and certificate.pdf
    assert "Segreto" in extract_text(pdf_bytes(certificate))
    hits = _database_hits(_needles(traced.registrant))
    assert hits == {}  # the rows are pseudonymised; only the course file's PDF keeps the name
    assert set(_file_hits(_needles(traced.registrant))) == {f"private/{certificate.pdf.name}"}


def test_a_funded_plan_keeps_the_register_identity_and_nothing_else(traced, funded_world):
    """A real funded plan holds the course file: the register's identity (``CourseFileLearner``) and the
    certificate PDF keep the name; every other row is pseudonymised."""
    from academy.funding.services.registers import session_register

    anonymise_person(traced.registrant, by=traced.staff)

    assert _database_hits(_needles(traced.registrant)) == {"funding_coursefilelearner": 1}
    certificate = Certificate.objects.get(pk=traced.certificate.pk)
    assert set(_file_hits(_needles(traced.registrant))) == {f"private/{certificate.pdf.name}"}
    register = session_register(traced.past_course.sessions.first())
    row = next(r for r in register.rows if r.learner.person_id == traced.registrant.pk)
    assert row.learner.full_name == "Mario Segreto" and row.learner.fiscal_code == FISCAL_CODE
