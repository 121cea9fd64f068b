"""Hostile or odd input gets a clear 4xx or a form error, never a server error (issue 12, item 11)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.competences.models import ExternalTraining
from academy.network.models import HROfficer, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def gamma(site):
    return site.organisations["Cooperativa Gruppo Gamma"]


@pytest.fixture
def officer(gamma, django_user_model):
    user = django_user_model.objects.create_user(username="hr@gruppogamma.coop", email="hr@gruppogamma.coop",
                                                 password="pw-12345!")
    HROfficer.objects.create(user=user, organisation=gamma)
    return user


@pytest.mark.parametrize("query", [{"area": "'"}, {"q": "\x00"}, {"q": "a\x00b", "area": "%"},
                                   {"month": "9999-99"}, {"kind": "\x00"}])
def test_catalogue_survives_odd_filters(client, site, query):
    response = client.get(site.programme.url, query)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("query", [{"q": "\x00"}, {"area": "'"}, {"q": "'\""}, {"masterclass": "\x00"}])
def test_case_study_library_survives_odd_filters(client, site, query):
    from cms.demo import publish
    from masterclass.models import CaseStudyIndexPage

    index = CaseStudyIndexPage(title="Casi studio", slug="casi-studio")
    site.home.add_child(instance=index)
    publish(index)
    response = client.get(index.url, query)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("kind", ["roster", "external"])
def test_a_csv_renamed_xlsx_is_a_form_error(client, officer, kind):
    client.force_login(officer)
    upload = SimpleUploadedFile("staff.xlsx", b"email,first_name\nanna@gruppogamma.coop,Anna\n")
    response = client.post(reverse("hr:import", args=[kind]), {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize("hours", ["NaN", "nan", "Infinity", "-inf", "sNaN", "1e999"])
def test_hours_that_are_not_numbers_are_row_errors(client, officer, make_person, gamma, hours):
    make_person(org=gamma, email="anna@gruppogamma.coop")
    client.force_login(officer)
    csv = f"email,title,date,hours\nanna@gruppogamma.coop,Corso,2025-02-01,{hours}\n"
    upload = SimpleUploadedFile("ext.csv", csv.encode())
    response = client.post(reverse("hr:import", args=["external"]), {"file": upload})
    assert response.status_code == 400
    assert [line for line, _reason in response.context["result"].errors] == [2]
    assert not ExternalTraining.objects.exists()


@pytest.mark.parametrize("hours", ["NaN", "Infinity"])
def test_hours_nan_in_the_external_training_form(client, officer, make_person, gamma, hours):
    anna = make_person(org=gamma, email="anna@gruppogamma.coop")
    client.force_login(officer)
    response = client.post(reverse("hr:add_external", args=[anna.pk]),
                           {"title": "Corso", "date": "2025-02-01", "hours": hours})
    assert response.status_code == 400
    assert not ExternalTraining.objects.exists()


@pytest.mark.parametrize("query", [{"start": "0001-01-01", "end": "9999-12-31"}, {"start": "9999-12-31"},
                                   {"end": "0001-01-01"}, {"year": "99999"}])
def test_hr_dashboard_refuses_absurd_periods_clearly(client, officer, query):
    client.force_login(officer)
    for url in (reverse("hr:dashboard"), reverse("hr:export_report", args=["csv"]),
                reverse("hr:export_report", args=["xlsx"])):
        response = client.get(url, query)
        assert response.status_code in (200, 400), url


def test_an_overlong_signup_email_is_a_form_error(client, site):
    email = "a" * 190 + "@gruppogamma.coop"  # 207 characters: longer than an account name may be
    response = client.post(reverse("accounts:signup"), {
        "first_name": "Anna", "last_name": "Bianchi", "email": email, "preferred_language": "it",
        "password1": "Una-password-lunga-1", "password2": "Una-password-lunga-1"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Person.objects.filter(email=email).exists()


def test_persistent_connections_are_health_checked(settings):
    from django.db import connection

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


# --- issue 23 item 11 ------------------------------------------------------------------------------------


def test_html_renamed_pdf_is_refused_as_an_hr_attachment(client, officer, make_person, gamma):
    anna = make_person(org=gamma, email="anna@gruppogamma.coop")
    client.force_login(officer)
    fake = SimpleUploadedFile("attestato.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(reverse("hr:add_external", args=[anna.pk]),
                           {"title": "Corso", "date": "2025-02-01", "hours": "4", "attachment": fake},
                           HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 400
    assert "non è un PDF" in " ".join(response.context["external_form"].errors["attachment"])
    assert not ExternalTraining.objects.exists()
    real = SimpleUploadedFile("attestato.pdf", b"%PDF-1.4\n% attestato\n", content_type="application/pdf")
    response = client.post(reverse("hr:add_external", args=[anna.pk]),
                           {"title": "Corso", "date": "2025-02-01", "hours": "4", "attachment": real})
    assert response.status_code == 302 and ExternalTraining.objects.get().attachment


@pytest.mark.parametrize("url", ["//evil.example/x", "javascript:alert(1)", "evil.example", "ftp://evil.example/"])
def test_a_material_link_must_be_a_full_web_address(client, make_course, django_user_model, url):
    from academy.courses.models import Trainer
    from academy.materials.models import Material

    user = django_user_model.objects.create_user("docente@example.coop", "docente@example.coop", "pw-12345!")
    course = make_course()
    course.trainers.add(Trainer.objects.create(name="Docente", user=user))
    course.save()
    client.force_login(user)
    response = client.post(reverse("materials:upload", args=[course.sessions.first().pk]),
                           {"title": "Registrazione", "url": url}, follow=True)
    assert not Material.objects.exists()
    shown = [str(m) for m in response.context["messages"]]
    assert any("https://" in m for m in shown), shown  # the message says what to write


@pytest.mark.parametrize("last_name", ["Rossi\r\nBcc: x@evil.example", "Rossi\nBianchi", "Rossi\x00"])
def test_names_with_line_breaks_are_refused(client, site, last_name):
    response = client.post(reverse("accounts:signup"), {
        "first_name": "Anna", "last_name": last_name, "email": "anna.nuova@gruppogamma.coop",
        "preferred_language": "it", "password1": "Una-password-lunga-1", "password2": "Una-password-lunga-1"},
        HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200 and response.context["form"].errors["last_name"]
    assert not Person.objects.filter(email="anna.nuova@gruppogamma.coop").exists()


def test_roster_rows_with_line_breaks_in_names_are_row_errors(client, officer):
    client.force_login(officer)
    csv = 'first_name,last_name,email\nAnna,"Rossi\r\nBcc: x@evil.example",anna@altrove.example\n'
    response = client.post(reverse("hr:import", args=["roster"]), {"file": SimpleUploadedFile("r.csv", csv.encode())})
    assert response.status_code == 400
    assert [line for line, _reason in response.context["result"].errors] == [2]
    from academy.network.models import RosterClaim

    assert not RosterClaim.objects.exists()
