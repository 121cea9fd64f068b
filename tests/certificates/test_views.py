"""Verify page (valid / revoked / unknown, rate limit), downloads, Open Badges, My Academy, staff admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from certificates import openbadges, services
from certificates.models import BulkIssueJob, Certificate
from certificates.rendering import extract_text


@pytest.fixture
def issued(past_course, make_person, register, attend):
    course = past_course(title="Welfare culturale")
    person = make_person(first_name="Paolo", last_name="Conti", fiscal_code="CNTPLA80A01H501X")
    register(course, person)
    attend(course, person, 90)
    return services.issue_certificate(course, person)


def test_verify_valid_shows_only_name_course_date(client, issued):
    response = client.get(reverse("certificates:verify_code", args=[issued.code]))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="valid"' in html
    assert "Paolo Conti" in html and "Welfare culturale" in html
    assert issued.person.email not in html and "CNTPLA80A01H501X" not in html
    assert "Cooperativa" not in html.split('data-testid="valid"')[1].split("</section>")[0]


def test_verify_valid_shows_the_certified_hours(client, issued):
    issued.hours = "1.50"
    issued.save(update_fields=["hours"])
    html = client.get(reverse("certificates:verify_code", args=[issued.code])).content.decode()
    assert 'data-testid="hours">1,5<' in html


def test_verify_revoked_keeps_the_reason_for_staff(client, issued, staff_user):
    services.revoke(issued, "Attendance record was wrong", by=staff_user)
    url = reverse("certificates:verify_code", args=[issued.code])
    html = client.get(url).content.decode()
    assert 'data-testid="revoked"' in html and 'data-testid="valid"' not in html
    assert "Attendance record was wrong" not in html
    assert "ha partecipato" not in html
    client.force_login(staff_user)
    html = client.get(url).content.decode()
    assert 'data-testid="revoked-reason"' in html and "Attendance record was wrong" in html


def test_verify_unknown_and_mistyped(client, issued):
    from certificates.codes import new_public_code

    response = client.get(reverse("certificates:verify_code", args=[new_public_code()]))
    assert response.status_code == 404 and 'data-testid="unknown"' in response.content.decode()
    typo = issued.code[:-1] + ("0" if issued.code[-1] != "0" else "1")
    response = client.get(reverse("certificates:verify_code", args=[typo]))
    assert response.status_code == 404 and 'data-testid="mistyped"' in response.content.decode()


def test_verify_form_normalises_typed_code(client, issued):
    typed = issued.code.lower().replace("-", " ")
    response = client.get(reverse("certificates:verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify_code", args=[issued.code])


def test_verify_rate_limit(client, settings, issued):
    settings.CERTIFICATES = {**settings.CERTIFICATES, "VERIFY_RATE_LIMIT": "5/m"}
    url = reverse("certificates:verify_code", args=[issued.code])
    assert [client.get(url).status_code for _ in range(5)] == [200] * 5
    response = client.get(url)
    assert response.status_code == 429
    assert 'data-testid="limited"' in response.content.decode() and 0 < int(response["Retry-After"]) <= 60
    # Typed codes count against the same budget; another client is not affected.
    assert client.get(reverse("certificates:verify"), {"code": "x"}).status_code == 429
    assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_owner_downloads_pdf(client, issued):
    client.force_login(issued.person.user)
    response = client.get(reverse("certificates:pdf", args=[issued.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert issued.code in extract_text(response.content)


def test_others_get_404_anonymous_login(client, issued, make_person, staff_user):
    url = reverse("certificates:pdf", args=[issued.code])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_person().user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("certificates:badge_json", args=[issued.code])).status_code == 404
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


def test_revoked_certificate_not_downloadable_by_owner(client, issued, staff_user):
    services.revoke(issued, "mistake", by=staff_user)
    client.force_login(issued.person.user)
    assert client.get(reverse("certificates:pdf", args=[issued.code])).status_code == 404


def test_open_badge_json(client, issued):
    client.force_login(issued.person.user)
    response = client.get(reverse("certificates:badge_json", args=[issued.code]))
    assert response.status_code == 200
    credential = response.json()
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["id"] == services.verify_url(issued.code)
    subject = credential["credentialSubject"]
    assert subject["achievement"]["name"] == "Welfare culturale"
    assert subject["identifier"][0]["hashed"] is True
    assert issued.person.email not in response.content.decode()
    # The criteria state the course's own threshold (80 %: "l'80%", not "il 80%").
    assert subject["achievement"]["criteria"]["narrative"].startswith("Partecipazione ad almeno l'80% dei minuti")
    # No key configured: no signed variant.
    assert client.get(reverse("certificates:badge_jwt", args=[issued.code])).status_code == 404


def test_open_badge_criteria_follow_the_course_threshold(past_course, make_person, register, attend):
    course = past_course(attendance_threshold=50)
    person = make_person(preferred_language="en")
    register(course, person)
    attend(course, person, 45)
    credential = services.open_badge(services.issue_certificate(course, person))
    assert credential["credentialSubject"]["achievement"]["criteria"]["narrative"] == (
        "Attended at least 50% of the planned minutes.")


def test_signed_open_badge(client, settings, tmp_path, issued):
    key = openbadges.generate_private_key_pem()
    (tmp_path / "key.pem").write_bytes(key)
    settings.CERTIFICATES = {**settings.CERTIFICATES, "SIGNING_KEY_PATH": str(tmp_path / "key.pem")}
    client.force_login(issued.person.user)
    response = client.get(reverse("certificates:badge_jwt", args=[issued.code]))
    assert response.status_code == 200
    credential = openbadges.verify_signed_credential(response.content.decode(), openbadges.public_jwk(key))
    assert credential["id"] == services.verify_url(issued.code)


def test_my_academy_lists_my_certificates(client, issued, make_person):
    client.force_login(issued.person.user)
    html = client.get(reverse("my_academy")).content.decode()
    assert reverse("certificates:pdf", args=[issued.code]) in html
    client.force_login(make_person().user)
    assert issued.code not in client.get(reverse("my_academy")).content.decode()


# --- staff admin -----------------------------------------------------------------------------------


def test_admin_bulk_issue_and_zip(client, past_course, make_person, register, attend, staff_user,
                                  django_capture_on_commit_callbacks):
    course = past_course()
    people = [make_person() for _ in range(3)]
    for person in people:
        register(course, person)
        attend(course, person, 80)
    staff_user.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    client.force_login(staff_user)
    assert client.get(reverse("certificates_admin")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_admin_issue", args=[course.pk]))
    assert response.status_code == 302
    assert Certificate.objects.filter(course=course).count() == 3
    assert BulkIssueJob.objects.get().status == "done"
    page = client.get(reverse("certificates_admin_course", args=[course.pk]), follow=True)
    assert page.status_code == 200 and "3/3" in page.content.decode()
    zipped = client.get(reverse("certificates:course_zip", args=[course.pk]))
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"


def test_admin_and_zip_refuse_non_staff(client, past_course, make_person):
    course = past_course()
    member = make_person().user
    client.force_login(member)
    assert client.post(reverse("certificates_admin_issue", args=[course.pk])).status_code in (302, 403)
    assert client.get(reverse("certificates:course_zip", args=[course.pk])).status_code == 403
    assert not BulkIssueJob.objects.exists()
    assert get_user_model().objects.filter(is_staff=True).count() == 0


def test_admin_lists_filter_and_export_for_staff_only(client, issued, staff_user, make_person):
    access_admin = Permission.objects.filter(codename="access_admin")
    staff_user.user_permissions.add(*access_admin)
    client.force_login(staff_user)
    listing = client.get(reverse("certificates_list:index"), {"status": "valid"})
    assert listing.status_code == 200 and issued.code in listing.content.decode()
    assert issued.code not in client.get(reverse("certificates_list:index"), {"status": "revoked"}).content.decode()
    export = client.get(reverse("certificates_list:index"), {"export": "csv"})
    assert export.status_code == 200 and issued.code in b"".join(export.streaming_content).decode()
    assert client.get(reverse("certificates_jobs:index")).status_code == 200
    assert client.get(reverse("certificates_list:add")).status_code in (302, 403)  # issued by services only

    editor = make_person().user
    editor.user_permissions.add(*access_admin)
    client.force_login(editor)
    for name in ("certificates_list:index", "certificates_jobs:index"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403) and issued.code not in response.content.decode()


def test_admin_xlsx_export_has_italian_headings_and_real_numbers(client, issued, staff_user):
    import datetime
    import io

    import openpyxl

    staff_user.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    client.force_login(staff_user)
    response = client.get(reverse("certificates_list:index"), {"export": "xlsx"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.title == "Attestati"  # the list's menu label, not "Sheet1"
    headings = [cell.value for cell in sheet[1]]
    assert "minutes_attended" not in headings and "hours" not in headings
    row = dict(zip(headings, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    hours = row[str(Certificate._meta.get_field("hours").verbose_name).capitalize()]
    assert isinstance(hours, (int, float)) and hours == float(issued.hours)
    assert isinstance(row[str(Certificate._meta.get_field("first_date").verbose_name).capitalize()],
                      datetime.datetime | datetime.date)
