"""The certificate rule, issue (single and bulk), re-issue, revocation and storage."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import segno
from django.conf import settings

from academy.attendance.services import correct
from academy.core.models import OutboxMessage
from certificates import services
from certificates.codes import normalize_code
from certificates.models import BulkIssueJob, Certificate, CertificateEvent
from certificates.rendering import LABELS, extract_text, normalize_whitespace, render_certificate_html

# --- the rule -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes,eligible", [(72, True), (71, False), (90, True), (0, False)])
def test_threshold_edges(past_course, make_person, register, attend, minutes, eligible):
    course = past_course()  # 90 planned minutes, 80 % → 72
    person = make_person()
    register(course, person)
    if minutes:
        attend(course, person, minutes)
    verdict = services.eligibility_for(course, person)
    assert verdict.eligible is eligible
    assert services.course_eligibility(course)[person.pk].eligible is eligible


def test_custom_threshold(past_course, make_person, register, attend):
    course = past_course(attendance_threshold=50)
    person = make_person()
    register(course, person)
    attend(course, person, 45)
    assert services.eligibility_for(course, person).eligible
    attend(course, person, 44)
    assert not services.eligibility_for(course, person).eligible


def test_sessions_are_summed(past_course, make_person, register, attend):
    course = past_course(kind="masterclass", days=(-10, -3), minutes=60)  # 120 planned → 96 needed
    yes, no = make_person(), make_person()
    register(course, yes)
    register(course, no)
    attend(course, yes, 50, 46)   # neither session alone is 80 %, together exactly 96
    attend(course, no, 60, 35)    # 95
    verdicts = services.course_eligibility(course)
    assert verdicts[yes.pk].eligible and verdicts[yes.pk].minutes == 96
    assert not verdicts[no.pk].eligible


def test_no_attendance_no_certificate(past_course, make_person, register):
    course = past_course()
    person = make_person()
    register(course, person)
    assert not services.eligibility_for(course, person).eligible
    with pytest.raises(services.CertificateError):
        services.issue_certificate(course, person)


def test_attendance_without_registration_does_not_count(past_course, make_person, register, attend):
    """Someone who joined with a forwarded link, or whose registration was cancelled, gets nothing."""
    course = past_course()
    stranger, cancelled = make_person(), make_person()
    register(course, cancelled, status="cancelled")
    attend(course, stranger, 90)
    attend(course, cancelled, 90)
    assert services.course_eligibility(course) == {}
    assert not services.eligibility_for(course, stranger).eligible
    assert not services.eligibility_for(course, cancelled).eligible
    result = services.issue_for_course(course)
    assert result.created == 0 and not Certificate.objects.exists()


@pytest.mark.parametrize("minutes,rounding,hours,expected", [
    (80, "0.5", "1.67", "1.00"), (90, "0.5", "1.67", "1.50"), (179, "0.25", "3", "2.75"),
    (200, "0.5", "1.67", "1.67"), (100, "0", "3", "1.66"),
])
def test_certified_hours_round_down_and_cap(past_course, minutes, rounding, hours, expected):
    course = past_course(hours_rounding=Decimal(rounding))
    course.hours = Decimal(hours)
    assert services.certified_hours(course, minutes) == Decimal(expected)


def test_correction_overrides_teams(past_course, make_person, register, attend, staff_user):
    course = past_course()
    person = make_person()
    register(course, person)
    attend(course, person, 90)
    correct(course.sessions.get(), person, 30, by=staff_user, reason="connected but absent")
    assert not services.eligibility_for(course, person).eligible


# --- issue ---------------------------------------------------------------------------------------------


@pytest.fixture
def issued(past_course, make_person, register, attend):
    course = past_course(title="Privacy e tutela della salute")
    person = make_person(first_name="Maria Grazia", last_name="Esposito")
    register(course, person)
    attend(course, person, 85)
    return services.issue_certificate(course, person)


def test_issue_renders_stores_and_emails(issued):
    certificate = issued
    assert normalize_code(certificate.code) == certificate.code
    assert certificate.hours == Decimal("1.00") and certificate.minutes_attended == 85
    path = Path(settings.PRIVATE_ROOT) / certificate.pdf.name
    assert path.is_file() and not str(path).startswith(str(settings.MEDIA_ROOT))
    text = normalize_whitespace(extract_text(path.read_bytes()))
    for expected in ("Maria Grazia Esposito", "Privacy e tutela della salute", "1 ora", certificate.code):
        assert expected in text
    message = OutboxMessage.objects.get()
    assert message.key == f"certificate:{certificate.pk}:v1"
    assert message.to == certificate.person.email
    assert message.attachments[0]["content_type"] == "application/pdf"
    assert certificate.code in message.body
    assert list(certificate.events.values_list("action", flat=True)) == ["issued", "emailed"]


def test_qr_payload_is_the_verification_url(issued):
    content = services.content_for(issued)
    expected = f"https://academy.example.coop/it/certificates/verify/{issued.code}/"
    assert content.verify_url == expected == services.verify_url(issued.code)
    html = render_certificate_html(content)
    assert segno.make(expected, error="m", micro=False, boost_error=False).svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, dark="#1b2a4a",
        title=LABELS[content.language]["qr_alt"]) in html
    text = normalize_whitespace(extract_text((Path(settings.PRIVATE_ROOT) / issued.pdf.name).read_bytes()))
    assert expected in text.replace(" ", "") or expected in text


def test_issue_is_idempotent(issued):
    again = services.issue_certificate(issued.course, issued.person)
    assert again.pk == issued.pk and again.code == issued.code
    assert OutboxMessage.objects.count() == 1


def test_english_speaker_gets_english_certificate(past_course, make_person, register, attend):
    course = past_course(english=True)
    person = make_person(preferred_language="en")
    register(course, person)
    attend(course, person, 90)
    certificate = services.issue_certificate(course, person)
    assert certificate.language == "en"
    text = extract_text((Path(settings.PRIVATE_ROOT) / certificate.pdf.name).read_bytes())
    assert "This is to certify that" in text and "Test course" in text
    assert "certificate of attendance" in OutboxMessage.objects.get().body


def test_reissue_after_correction_keeps_code_bumps_version(issued, staff_user):
    session = issued.course.sessions.get()
    correct(session, issued.person, 90, by=staff_user, reason="sign-in sheet shows the whole session")
    old_name = issued.pdf.name
    services.reissue(issued, by=staff_user)
    issued.refresh_from_db()
    assert (issued.version, issued.minutes_attended, issued.hours) == (2, 90, Decimal("1.50"))
    assert issued.pdf.name != old_name and (Path(settings.PRIVATE_ROOT) / old_name).is_file()
    assert sorted(OutboxMessage.objects.values_list("key", flat=True)) == [
        f"certificate:{issued.pk}:v1", f"certificate:{issued.pk}:v2"]
    assert list(issued.events.values_list("action", "version")) == [
        ("issued", 1), ("emailed", 1), ("reissued", 2), ("emailed", 2)]


def test_reissue_refused_when_no_longer_eligible(issued, staff_user):
    correct(issued.course.sessions.get(), issued.person, 10, by=staff_user, reason="was not there")
    with pytest.raises(services.CertificateError):
        services.reissue(issued, by=staff_user)


def test_revoke_needs_reason(issued, staff_user):
    with pytest.raises(services.CertificateError):
        services.revoke(issued, "", by=staff_user)
    services.revoke(issued, "Issued by mistake", by=staff_user)
    issued.refresh_from_db()
    assert issued.status == "revoked" and issued.revoked_at and issued.revoked_reason == "Issued by mistake"
    assert issued.events.filter(action="revoked", by=staff_user).exists()
    with pytest.raises(services.CertificateError):
        services.reissue(issued, by=staff_user)


# --- bulk -----------------------------------------------------------------------------------------------


@pytest.fixture
def course_with_people(past_course, make_person, register, attend):
    course = past_course(kind="masterclass", days=(-10, -3), minutes=60)
    people = [make_person() for _ in range(4)]
    for person, minutes in zip(people, [(60, 60), (50, 46), (60, 30), (0, 0)], strict=True):
        register(course, person)
        attend(course, person, *minutes)
    return course, people


def test_bulk_issue_is_idempotent(course_with_people, staff_user):
    course, people = course_with_people
    first = services.issue_for_course(course, staff_user)
    assert (first.eligible, first.ineligible, first.created, first.rendered, first.emailed) == (2, 2, 2, 2, 2)
    assert set(first.codes) == {people[0].pk, people[1].pk}
    second = services.issue_for_course(course, staff_user)
    assert second.codes == first.codes
    assert (second.created, second.reissued, second.rendered, second.emailed) == (0, 0, 0, 0)
    assert OutboxMessage.objects.count() == 2
    assert CertificateEvent.objects.filter(action="issued").count() == 2


def test_bulk_issue_picks_up_corrections_and_new_eligibility(course_with_people, staff_user):
    course, people = course_with_people
    first = services.issue_for_course(course, staff_user)
    sessions = list(course.sessions.order_by("starts_at"))
    correct(sessions[1], people[1], 60, by=staff_user, reason="late arrival registered wrongly")
    correct(sessions[1], people[2], 60, by=staff_user, reason="sign-in sheet")
    second = services.issue_for_course(course, staff_user)
    assert (second.created, second.reissued, second.emailed) == (1, 1, 2)
    assert second.codes[people[1].pk] == first.codes[people[1].pk]
    assert Certificate.objects.get(person=people[1]).version == 2


def test_background_job_reports_progress(course_with_people, staff_user, django_capture_on_commit_callbacks):
    course, _people = course_with_people
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_bulk_issue(course, staff_user)  # immediate backend: runs on commit
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.created, job.ineligible) == ("done", 2, 2, 2, 2)
    assert job.percent == 100
    assert BulkIssueJob.objects.count() == 1


def test_background_issue_runs_one_task_per_batch(course_with_people, staff_user, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    """Many certificates are rendered by the task queue's workers, a batch per task, each adding to the
    job's progress; the job is done when the last batch is."""
    from certificates.services import bulk

    course, _people = course_with_people
    monkeypatch.setattr(bulk, "BATCH_SIZE", 1)
    batches, progress = [], []
    original = bulk.run_batch

    def counting(job_id, ids):
        batches.append(list(ids))
        done = original(job_id, ids)
        progress.append(BulkIssueJob.objects.values_list("done", "status").get(pk=job_id))
        return done

    monkeypatch.setattr(bulk, "run_batch", counting)
    monkeypatch.setattr("certificates.services.run_batch", counting)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_bulk_issue(course, staff_user)
    assert len(batches) == 2 and all(len(ids) == 1 for ids in batches)
    assert progress == [(1, "running"), (2, "done")]
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 2, 2)
    assert all(c.pdf for c in Certificate.objects.filter(course=course))


def test_email_attaches_the_stored_pdf_by_reference(issued, mailoutbox):
    """The PDF is stored once: the outbox row names the stored file instead of carrying a base64 copy."""
    from academy.core.outbox import deliver

    message = OutboxMessage.objects.get()
    (attachment,) = message.attachments
    assert attachment.get("private_name") == issued.pdf.name and "content" not in attachment
    assert deliver(message.pk)
    (_name, content, mimetype) = mailoutbox[0].attachments[0]
    assert content == (Path(settings.PRIVATE_ROOT) / issued.pdf.name).read_bytes()
    assert mimetype == "application/pdf"


def test_a_missing_stored_attachment_fails_that_message_only(issued, mailoutbox):
    from academy.core.outbox import deliver

    message = OutboxMessage.objects.get()
    (Path(settings.PRIVATE_ROOT) / issued.pdf.name).unlink()
    assert deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and "FileNotFoundError" in message.last_error
    assert mailoutbox == []


def test_zip_of_all_certificates(course_with_people, staff_user):
    import io
    import zipfile

    course, people = course_with_people
    result = services.issue_for_course(course, staff_user)
    buffer = io.BytesIO()
    assert services.write_course_zip(course, buffer) == 2
    names = zipfile.ZipFile(buffer).namelist()
    assert sorted(n.rsplit("_", 1)[1] for n in names) == sorted(f"{c}.pdf" for c in result.codes.values())
