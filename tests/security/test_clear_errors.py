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
