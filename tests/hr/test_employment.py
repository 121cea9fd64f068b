"""An HR officer records when their staff were hired and began their current job, and the job's own risk
class: on the person page and in the staff roster import, for their own cooperative only. The compliance
answer follows (training is due on the start day, overdue without a start date)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from academy.core.tabular import parse_cell_date
from academy.network.models import Person
from academy.obligations.models import Employment, RiskProfile

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
HEADER = "first_name,last_name,email,fiscal_code,job_role,hired_on,job_since,job_risk_class\n"


@pytest.fixture
def gamma(site, member_org):
    RiskProfile.objects.create(organisation=member_org, risk_class="medium", first_aid_group="B")
    return member_org


def page_url(person) -> str:
    with translation.override("en"):
        return reverse("hr:person", args=[person.pk])


def employment_url(person) -> str:
    with translation.override("en"):
        return reverse("hr:employment", args=[person.pk])


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.csv", text.encode("utf-8"), content_type="text/csv")


def test_officer_sets_employment_and_the_answer_moves_from_overdue_to_due(client, gamma, make_person,
                                                                        make_officer):
    person = make_person(org=gamma)
    officer = make_officer(gamma)
    client.force_login(officer)
    page = client.get(page_url(person))
    assert page.status_code == 200 and page.context["record"].status == "overdue"  # untrained, no start date
    assert 'data-testid="employment-form"' in page.content.decode()
    hire = TODAY + 3 * DAY
    response = client.post(employment_url(person), {"hired_on": hire.strftime("%d/%m/%Y"), "job_since": "",
                                                    "risk_class": "low"}, follow=True)
    assert response.status_code == 200
    employment = Employment.objects.get(person=person)
    assert (employment.hired_on, employment.job_since, employment.risk_class) == (hire, None, "low")
    assert response.context["record"].status == "due"
    workers = {i.key: i for i in response.context["record"].items}
    assert any(i.deadline == hire and i.status == "due" for i in workers.values())
    assert response.context["employment_form"].initial["hired_on"] == hire  # the form shows what is recorded
    entry = ModelLogEntry.objects.filter(object_id=str(employment.pk)).latest("timestamp")
    assert entry.user_id == officer.pk and entry.action == "wagtail.create"
    # today's hire is still due; yesterday's is overdue
    client.post(employment_url(person), {"hired_on": TODAY.isoformat(), "risk_class": ""})
    assert client.get(page_url(person)).context["record"].status == "due"
    client.post(employment_url(person), {"hired_on": (TODAY - DAY).isoformat(), "risk_class": ""})
    assert client.get(page_url(person)).context["record"].status == "overdue"


def test_officer_cannot_set_employment_for_another_cooperative(client, gamma, site, make_person, make_officer):
    outsider = make_person(org=site.organisations["Cooperativa Nazareth"])
    client.force_login(make_officer(gamma))
    response = client.post(employment_url(outsider), {"hired_on": TODAY.isoformat()})
    assert response.status_code == 404
    assert not Employment.objects.filter(person=outsider).exists()
    client.logout()
    assert client.post(employment_url(outsider), {"hired_on": TODAY.isoformat()}).status_code == 302  # to login
    client.force_login(make_person(org=gamma).user)  # a worker, not an officer
    assert client.post(employment_url(outsider), {"hired_on": TODAY.isoformat()}).status_code == 403
    assert not Employment.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"hired_on": "31/02/2026"}, "Enter a valid date."),
    ({"hired_on": "2026-03-10", "job_since": "2026-03-01"}, "The current job cannot start before the employment."),
    ({"risk_class": "extreme"}, "Select a valid choice."),
])
def test_bad_input_is_refused_with_a_clear_message(client, gamma, make_person, make_officer, data, message):
    person = make_person(org=gamma)
    client.force_login(make_officer(gamma))
    response = client.post(employment_url(person), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Employment.objects.filter(person=person).exists()


def test_the_error_is_in_italian_on_the_italian_page(client, gamma, make_person, make_officer):
    person = make_person(org=gamma)
    client.force_login(make_officer(gamma))
    with translation.override("it"):
        url = reverse("hr:employment", args=[person.pk])
    response = client.post(url, {"hired_on": "2026-03-10", "job_since": "2026-03-01"})
    assert response.status_code == 400
    assert "La mansione attuale non può iniziare prima del rapporto di lavoro." in response.content.decode()


def test_roster_import_sets_employment_with_italian_and_iso_dates(client, gamma, make_person, make_officer):
    known = make_person(org=gamma, email="nota@gruppogamma.coop")
    Employment.objects.create(person=known, hired_on=datetime.date(2020, 1, 1), risk_class="high")
    client.force_login(make_officer(gamma))
    with translation.override("en"):
        url = reverse("hr:import", args=["roster"])
    rows = (HEADER
            + "Anna,Bianchi,anna@gruppogamma.coop,,OSS,01/03/2026,2026-09-15,basso\n"
            + "Nota,Conosciuta,NOTA@gruppogamma.coop,,,,01/02/2024,\n"
            + "Ugo,Senza,ugo@gruppogamma.coop,,,,,\n")
    assert client.post(url, {"file": upload(rows)}).status_code == 302
    anna = Employment.objects.get(person__email="anna@gruppogamma.coop")
    assert (anna.hired_on, anna.job_since, anna.risk_class) == (datetime.date(2026, 3, 1),
                                                                datetime.date(2026, 9, 15), "low")
    known_now = Employment.objects.get(person=known)  # empty cells keep what was recorded
    assert (known_now.hired_on, known_now.job_since, known_now.risk_class) == (
        datetime.date(2020, 1, 1), datetime.date(2024, 2, 1), "high")
    assert Person.objects.filter(email="ugo@gruppogamma.coop").exists()
    assert not Employment.objects.filter(person__email="ugo@gruppogamma.coop").exists()


def test_roster_import_takes_the_italian_headers_of_the_employment_columns(client, gamma, make_officer):
    client.force_login(make_officer(gamma))
    with translation.override("it"):
        url = reverse("hr:import", args=["roster"])
    rows = ("nome,cognome,e-mail,codice_fiscale,mansione,data_assunzione,inizio_mansione,classe_rischio_mansione\n"
            "Anna,Bianchi,anna@gruppogamma.coop,,OSS,01/03/2026,15/09/2026,alto\n")
    assert client.post(url, {"file": upload(rows)}).status_code == 302
    anna = Employment.objects.get(person__email="anna@gruppogamma.coop")
    assert (anna.hired_on, anna.job_since, anna.risk_class) == (datetime.date(2026, 3, 1),
                                                                datetime.date(2026, 9, 15), "high")


@pytest.mark.parametrize(("bad_row", "reason"), [
    ("Eva,Rossi,eva@gruppogamma.coop,,,2026-13-01,,\n", "is not a date"),
    ("Eva,Rossi,eva@gruppogamma.coop,,,01/03/26,,\n", "is not a date"),
    ("Eva,Rossi,eva@gruppogamma.coop,,,,,altissimo\n", "Unknown risk class"),
    ("Eva,Rossi,eva@gruppogamma.coop,,,10/03/2026,01/03/2026,\n", "cannot start before the employment"),
])
def test_a_bad_employment_cell_fails_the_whole_import(client, gamma, make_officer, bad_row, reason):
    client.force_login(make_officer(gamma))
    with translation.override("en"):
        url = reverse("hr:import", args=["roster"])
    rows = HEADER + "Anna,Bianchi,anna@gruppogamma.coop,,OSS,01/03/2026,,\n" + bad_row
    response = client.post(url, {"file": upload(rows)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = dict(response.context["result"].errors)
    assert set(errors) == {3} and reason in errors[3]
    assert not Person.objects.filter(email__in=["anna@gruppogamma.coop", "eva@gruppogamma.coop"]).exists()
    assert not Employment.objects.exists()


def test_roster_and_employment_errors_are_reported_together(client, gamma, make_officer):
    client.force_login(make_officer(gamma))
    with translation.override("en"):
        url = reverse("hr:import", args=["roster"])
    rows = HEADER + "Anna,,anna@gruppogamma.coop,,,,,\n" + "Eva,Rossi,eva@gruppogamma.coop,,,ieri,,\n"
    response = client.post(url, {"file": upload(rows)})
    assert response.status_code == 400
    assert set(dict(response.context["result"].errors)) == {2, 3}
    assert not Person.objects.filter(email__in=["anna@gruppogamma.coop", "eva@gruppogamma.coop"]).exists()


@pytest.mark.parametrize(("text", "day"), [("05/12/2026", datetime.date(2026, 12, 5)),
                                           ("2026-12-05", datetime.date(2026, 12, 5)),
                                           ("2026-12-05 00:00:00", datetime.date(2026, 12, 5)),
                                           ("05-12-2026", datetime.date(2026, 12, 5)),
                                           ("", None)])
def test_dates_are_read_in_italian_and_iso_format(text, day):
    assert parse_cell_date(text) == day


def test_a_background_roster_import_sets_employment_too(client, gamma, make_officer, settings, tmp_path):
    from academy.competences.models import ImportJob

    settings.IMPORT_INLINE_MAX_ROWS = 1  # two rows: the import runs as a job
    settings.PRIVATE_ROOT = tmp_path / "private"
    client.force_login(make_officer(gamma))
    with translation.override("en"):
        url = reverse("hr:import", args=["roster"])
    rows = (HEADER + "Anna,Bianchi,anna@gruppogamma.coop,,OSS,01/03/2026,,medio\n"
            + "Eva,Rossi,eva@gruppogamma.coop,,,2026-02-01,,\n")
    assert client.post(url, {"file": upload(rows)}).status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.report["errors"] == []
    assert dict(Employment.objects.values_list("person__email", "hired_on")) == {
        "anna@gruppogamma.coop": datetime.date(2026, 3, 1), "eva@gruppogamma.coop": datetime.date(2026, 2, 1)}
    assert Employment.objects.get(person__email="anna@gruppogamma.coop").risk_class == "medium"


def test_rows_waiting_for_confirmation_set_nothing_and_recorded_dates_are_checked(client, gamma, make_person,
                                                                                  make_officer):
    known = make_person(org=gamma, email="nota@gruppogamma.coop")
    Employment.objects.create(person=known, hired_on=datetime.date(2020, 1, 1))
    client.force_login(make_officer(gamma))
    with translation.override("en"):
        url = reverse("hr:import", args=["roster"])
    before_recorded_hire = HEADER + "Nota,Conosciuta,nota@gruppogamma.coop,,,,31/12/2019,\n"
    response = client.post(url, {"file": upload(before_recorded_hire)})
    assert response.status_code == 400 and set(dict(response.context["result"].errors)) == {2}
    on_another_domain = HEADER + "Gio,Esterno,gio@gmail.com,,,01/03/2026,,\n"
    assert client.post(url, {"file": upload(on_another_domain)}).status_code == 302  # a claim, e-mailed
    assert not Employment.objects.filter(person__email="gio@gmail.com").exists()
    assert Employment.objects.get(person=known).job_since is None
