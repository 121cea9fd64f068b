"""Report and attendance register content (parsed back with openpyxl); atomic imports."""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from academy.attendance.models import AttendanceRecord
from academy.competences.models import ExternalTraining, Requirement
from academy.network.models import Person
from academy.registrations.models import Registration


def sheet_rows(content: bytes, index: int = 0) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [tuple(row) for row in book.worksheets[index].iter_rows(values_only=True)]


def test_xlsx_report_content(client, gamma, nazareth, make_course, make_person, make_officer, certify,
                             external, privacy):
    today = timezone.localdate()
    course = make_course(days=(-3,))
    anna = make_person(org=gamma, first_name="Anna", last_name="Bianchi", job_role="Educatrice")
    luca = make_person(org=gamma, first_name="Luca", last_name="Verdi")
    make_person(org=nazareth, first_name="Nora", last_name="Esterna")
    Requirement.objects.create(organisation=gamma, course=course, renewal_months=24, label="Privacy")
    certify(anna, course, on=today - datetime.timedelta(days=3), hours="1.5")
    external(anna, on=today - datetime.timedelta(days=1), hours="4", competences=[privacy], title="Corso GDPR",
             provider="Ente X")
    client.force_login(make_officer(gamma))
    with translation.override("en"):  # English column names (Django's own catalog translates "Status")
        url = reverse("hr:export_report", args=["xlsx"])
    response = client.get(url, {"year": today.year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.content)
    header, people = rows[0], {r[0]: r for r in rows[1:]}
    assert set(people) == {"Bianchi", "Verdi"}  # nobody from another cooperative
    col = {name: i for i, name in enumerate(header)}
    assert people["Bianchi"][col["Hours in period"]] == 5.5
    assert people["Bianchi"][col["Status"]] == "Compliant"
    assert people["Verdi"][col["Status"]] == "Overdue"
    assert people["Verdi"][col["To do"]] == "Privacy: never done"
    assert "Data protection" in people["Bianchi"][col["Competences"]]  # bilingual name, English here
    detail = sheet_rows(response.content, 1)
    titles = {r[4] for r in detail[1:]}
    assert titles == {course.title, "Corso GDPR"}
    csv = client.get(reverse("hr:export_report", args=["csv"]), {"year": today.year})
    text = csv.content.decode("utf-8-sig")
    assert "Bianchi" in text and "Esterna" not in text
    assert luca.last_name in text


def test_attendance_register(client, gamma, nazareth, make_course, make_person, make_officer):
    course = make_course(days=(-10, -3), minutes=120, kind="masterclass")
    s1, s2 = course.sessions.order_by("starts_at")
    anna = make_person(org=gamma, last_name="Bianchi", fiscal_code="")
    nora = make_person(org=nazareth, last_name="Esterna")
    for person in (anna, nora):
        Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
    AttendanceRecord.objects.create(session=s1, person=anna, source="teams", minutes=100)
    AttendanceRecord.objects.create(session=s1, person=anna, source="checkin", minutes=115)
    AttendanceRecord.objects.create(session=s2, person=anna, source="teams", minutes=30)
    AttendanceRecord.objects.create(session=s2, person=anna, source="correction", minutes=90, reason="rete")
    AttendanceRecord.objects.create(session=s1, person=nora, source="teams", minutes=120)
    with translation.override("en"):
        url = reverse("hr:attendance_register", args=[course.pk, "xlsx"])
    client.force_login(make_officer(gamma))
    rows = sheet_rows(client.get(url).content)
    header = rows[0]
    start = timezone.localtime(s1.starts_at)
    assert header[5] == f"{start:%d/%m/%Y} 15:00–17:00 (minutes)"
    assert [r[0] for r in rows[1:]] == ["Bianchi"]
    assert rows[1][5:10] == (115, 90, 205, 3.42, 240)
    client.logout()
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("staff-user", is_staff=True)
    client.force_login(staff)
    rows = sheet_rows(client.get(url).content)
    assert sorted(r[0] for r in rows[1:]) == ["Bianchi", "Esterna"]


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_roster_import_is_atomic_and_lists_bad_rows(client, gamma, nazareth, make_person, make_officer):
    make_person(org=nazareth, email="presa@nazareth.coop")
    client.force_login(make_officer(gamma))
    with translation.override("en"):
        url = reverse("hr:import", args=["roster"])
    bad = ("first_name,last_name,email,fiscal_code,job_role\n"
           "Anna,Bianchi,anna@gruppogamma.coop,,Educatrice\n"
           "Luca,,luca@gruppogamma.coop,,\n"
           "Pia,Presa,presa@nazareth.coop,,\n"
           "Ugo,Doppio,anna@gruppogamma.coop,,\n"
           "Eva,Rossi,eva@gruppogamma.coop,XXXX,\n")
    response = client.post(url, {"file": upload("roster.csv", bad)})
    assert response.status_code == 400
    errors = dict(response.context["result"].errors)
    assert set(errors) == {3, 4, 5, 6}
    assert "another organisation" in errors[4]
    assert "line 2" in errors[5]
    assert not Person.objects.filter(email="anna@gruppogamma.coop").exists()
    good = "first_name,last_name,email,job_role\nAnna,Bianchi,anna@gruppogamma.coop,Educatrice\n"
    response = client.post(url, {"file": upload("roster.csv", good)})
    assert response.status_code == 302
    anna = Person.objects.get(email="anna@gruppogamma.coop")
    assert anna.organisation == gamma and anna.on_roster and anna.job_role == "Educatrice"


def test_imports_take_italian_headers(client, gamma, make_person, make_officer, privacy):
    """Issue 27: the Italian page lists Italian headers, and a file headed in Italian imports."""
    client.force_login(make_officer(gamma))
    with translation.override("it"):
        roster_url, external_url = reverse("hr:import", args=["roster"]), reverse("hr:import", args=["external"])
    page = client.get(roster_url).content.decode()
    assert "nome, cognome, email, codice_fiscale, mansione" in page
    roster = ("Nome;Cognome;E-mail;Codice fiscale;Mansione\n"
              "Anna;Bianchi;anna@gruppogamma.coop;RSSMRA80A01H501U;Educatrice\n")
    assert client.post(roster_url, {"file": upload("personale.csv", roster)}).status_code == 302
    anna = Person.objects.get(email="anna@gruppogamma.coop")
    assert (anna.first_name, anna.last_name, anna.fiscal_code, anna.job_role) == (
        "Anna", "Bianchi", "RSSMRA80A01H501U", "Educatrice")
    external = ("codice_fiscale;titolo;ente;data;ore;competenze\n"
                "RSSMRA80A01H501U;GDPR base;Ente X;01/02/2025;4;protezione-dati\n")
    assert client.post(external_url, {"file": upload("formazione.csv", external)}).status_code == 302
    training = ExternalTraining.objects.get(person=anna)
    assert training.title == "GDPR base" and training.hours == 4 and list(training.competences.all()) == [privacy]


def test_external_training_import_is_atomic(client, gamma, nazareth, make_person, make_officer, privacy):
    anna = make_person(org=gamma, email="anna@gruppogamma.coop")
    make_person(org=nazareth, email="nora@nazareth.coop")
    client.force_login(make_officer(gamma))
    with translation.override("en"):
        url = reverse("hr:import", args=["external"])
    bad = ("email,title,provider,date,hours,competences\n"
           "anna@gruppogamma.coop,GDPR base,Ente X,2025-02-01,4,protezione-dati\n"
           "nora@nazareth.coop,GDPR base,Ente X,2025-02-01,4,\n"
           "anna@gruppogamma.coop,,Ente X,31/02/2025,tante,boh\n")
    response = client.post(url, {"file": upload("ext.csv", bad)})
    assert response.status_code == 400
    errors = dict(response.context["result"].errors)
    assert set(errors) == {3, 4}
    assert "nora@nazareth.coop" in errors[3]
    for fragment in ("title", "date", "hours", "boh"):
        assert fragment in errors[4]
    assert not ExternalTraining.objects.exists()
    response = client.post(url, {"file": upload("ext.csv", bad.rsplit("\n", 3)[0] + "\n")})
    assert response.status_code == 302
    training = ExternalTraining.objects.get()
    assert training.person == anna and list(training.competences.all()) == [privacy]
    assert str(training.hours) == "4.00" and training.date == datetime.date(2025, 2, 1)


def test_dashboard_lists_attendance_registers_by_title_in_each_language(client, gamma, make_course,
                                                                        make_officer):
    from academy.courses.models import CoursePage

    course = make_course(title="Privacy nei servizi", days=(-3,), english=True)
    english_title = CoursePage.objects.get(translation_key=course.translation_key, locale__language_code="en").title
    client.force_login(make_officer(gamma))
    for language, title in (("it", "Privacy nei servizi"), ("en", english_title)):
        with translation.override(language):
            register = reverse("hr:attendance_register", args=[course.pk, "xlsx"])
        response = client.get(f"/{language}/hr/")
        assert response.status_code == 200
        line = next(li for li in response.content.decode().split("<li>") if register in li)
        assert line.startswith(title + " (")
