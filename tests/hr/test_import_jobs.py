"""Large HR imports run as a background job (with the immediate task backend, in process): the same
atomic import as inline, a report on the job page for its author only, the stored file deleted after."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from academy.competences import import_jobs
from academy.competences.models import ExternalTraining, ImportJob
from academy.core import privacy
from academy.core.periodic import run_periodic
from academy.network.models import Person

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,email,fiscal_code,job_role\n"


def roster(n: int, *, bad_line: int | None = None) -> bytes:
    lines = [f"Nome{i},Cognome{i},p{i}@gruppogamma.coop,,OSS\n" for i in range(n)]
    if bad_line is not None:  # spreadsheet line: the header is line 1
        lines[bad_line - 2] = "Nome,Cognome,sbagliato@gruppogamma.coop,NONVALIDO,\n"
    return (HEADER + "".join(lines)).encode()


def upload(content: bytes, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.IMPORT_INLINE_MAX_ROWS = 2
    settings.PRIVATE_ROOT = tmp_path / "private"
    cache.clear()  # job ids may be reused after a test's rollback


@pytest.fixture
def officer(gamma, make_officer):
    return make_officer(gamma)


def import_url(kind: str = "roster") -> str:
    with translation.override("en"):
        return reverse("hr:import", args=[kind])


def job_url(job: ImportJob) -> str:
    with translation.override("en"):
        return reverse("hr:import_job", args=[job.pk])


def test_a_large_roster_is_queued_imported_and_reported(client, officer, gamma):
    client.force_login(officer)
    response = client.post(import_url(), {"file": upload(roster(5))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job_url(job)
    assert job.kind == "roster" and job.created_by == officer and job.organisation == gamma
    assert job.status == ImportJob.Status.DONE and job.total == 5 and job.finished_at
    assert job.report == {"created": 5, "updated": 0, "pending": 0, "held": 0, "errors": []}
    people = Person.objects.filter(email__startswith="p", email__endswith="@gruppogamma.coop", first_name__startswith="Nome")
    assert people.count() == 5 and all(p.organisation == gamma and p.on_roster for p in people)
    page = client.get(job_url(job), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.context["created"] == 5 and page.context["updated"] == 0
    assert 'data-testid="job-report"' in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()  # finished: no more refreshing
    # the import page lists it
    assert job_url(job) in client.get(import_url()).content.decode()


def test_a_job_with_one_bad_row_saves_nothing_and_lists_the_line(client, officer):
    client.force_login(officer)
    response = client.post(import_url(), {"file": upload(roster(5, bad_line=4))})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.DONE
    assert job.report["created"] == 0 and [line for line, _ in job.report["errors"]] == [4]
    assert not Person.objects.filter(first_name__startswith="Nome").exists()
    page = client.get(job_url(job))
    errors = page.context["errors"]
    assert [line for line, _ in errors] == [4] and "fiscal_code" in errors[0][1]
    assert 'data-testid="import-errors"' in page.content.decode()


def test_only_the_author_or_staff_see_a_job(client, officer, gamma, make_officer, django_user_model):
    client.force_login(officer)
    client.post(import_url(), {"file": upload(roster(3))})
    job = ImportJob.objects.get()
    client.force_login(make_officer(gamma))
    assert client.get(job_url(job)).status_code == 404
    assert job_url(job) not in client.get(import_url()).content.decode()
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    assert client.get(job_url(job)).status_code == 200


def test_the_stored_file_is_deleted_after_the_job(officer, gamma, tmp_path):
    job = import_jobs.start_import(upload(roster(3)), "roster", officer, gamma)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not job.file
    stored = tmp_path / "private" / "hr-imports"
    assert not [p for p in stored.rglob("*") if p.is_file()]


def test_running_a_job_twice_imports_once(officer, gamma, make_person):
    job = import_jobs.start_import(upload(roster(3)), "roster", officer, gamma)
    assert Person.objects.filter(first_name__startswith="Nome").count() == 3
    Person.objects.filter(email="p0@gruppogamma.coop").delete()  # a second run would create it again
    again = import_jobs.run_import_job(job.pk)
    assert again.status == ImportJob.Status.DONE and again.report["created"] == 3
    assert not Person.objects.filter(email="p0@gruppogamma.coop").exists()


def test_a_queued_job_reports_progress_while_it_runs(client, officer, gamma, settings, monkeypatch):
    # A backend that only records the task, as Redis would before a worker takes it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    client.force_login(officer)
    client.post(import_url(), {"file": upload(roster(250))})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and job.file
    assert not Person.objects.filter(first_name__startswith="Nome").exists()
    assert import_jobs.progress(job) == import_jobs.Progress(0, 250)
    page = client.get(job_url(job), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "0 of 250 rows" in " ".join(page.split())
    seen = []
    original = import_jobs._Counter.flush

    def spy(counter):
        original(counter)
        seen.append(import_jobs.progress(ImportJob.objects.get(pk=job.pk)).processed)

    monkeypatch.setattr(import_jobs._Counter, "flush", spy)
    done = import_jobs.run_import_job(job.pk)
    assert done.status == ImportJob.Status.DONE and done.report["created"] == 250
    assert seen == [0, 100, 200, 250]
    assert import_jobs.progress(done) == import_jobs.Progress(250, 250)


def test_an_unreadable_stored_file_fails_the_job_with_its_reason(officer, gamma):
    job = ImportJob.objects.create(kind="roster", created_by=officer, organisation=gamma, total=3)
    job.file.save("broken.csv", ContentFile(b"\x00\x01binary"), save=True)
    done = import_jobs.run_import_job(job.pk)
    assert done.status == ImportJob.Status.FAILED and done.error and not done.file
    assert not Person.objects.filter(first_name__startswith="Nome").exists()


def test_periodic_cleanup_removes_jobs_older_than_30_days(officer, gamma):
    old = ImportJob.objects.create(kind="roster", created_by=officer, organisation=gamma)
    recent = ImportJob.objects.create(kind="roster", created_by=officer, organisation=gamma)
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert run_periodic(timezone.now()) == []
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [recent.pk]


def test_erasing_the_officer_deletes_their_jobs(officer, gamma, make_officer):
    mine = ImportJob.objects.create(kind="roster", created_by=officer, organisation=gamma)
    other = ImportJob.objects.create(kind="roster", created_by=make_officer(gamma), organisation=gamma)
    person = Person.objects.create(user=officer, email=officer.email, first_name="Ida", last_name="Ufficio")
    assert privacy.export_person(person)["import_jobs"][0]["kind"] == "roster"
    privacy.erase_person(person)
    assert not ImportJob.objects.filter(pk=mine.pk).exists()
    assert ImportJob.objects.filter(pk=other.pk).exists()


def test_a_small_file_still_imports_inline(client, officer):
    client.force_login(officer)
    response = client.post(import_url(), {"file": upload(roster(2))})
    assert response.status_code == 302 and response.url.endswith(reverse("hr:dashboard").split("/", 2)[-1])
    assert not ImportJob.objects.exists()
    assert Person.objects.filter(first_name__startswith="Nome").count() == 2


def test_a_large_external_training_file_is_imported_in_the_background(client, officer, gamma, make_person):
    anna = make_person(org=gamma, email="anna@gruppogamma.coop")
    client.force_login(officer)
    rows = "".join(f"anna@gruppogamma.coop,Corso {i},Ente X,2025-02-0{i},4,\n" for i in range(1, 4))
    content = ("email,title,provider,date,hours,competences\n" + rows).encode()
    response = client.post(import_url("external"), {"file": upload(content, "ext.csv")})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.kind == "external" and job.organisation is None
    assert job.status == ImportJob.Status.DONE and job.report["created"] == 3
    assert ExternalTraining.objects.filter(person=anna).count() == 3
    assert import_jobs.progress(job) == import_jobs.Progress(3, 3)


def test_an_unreadable_upload_is_refused_before_any_job(client, officer):
    client.force_login(officer)
    response = client.post(import_url(), {"file": upload(b"\x00\x01binary")})
    assert response.status_code == 400 and not ImportJob.objects.exists()
