"""Large HR imports (staff rosters, external training) run as a background task with progress.

``start_import`` reads the upload once to count its rows: a file up to ``IMPORT_INLINE_MAX_ROWS`` rows
is left to the request (it returns None and the view imports inline, as before); a larger one is kept in
private storage as an ``ImportJob`` and a django-tasks task imports it (``run_import_job``). The import
itself is the same atomic function as inline: a file with any bad row changes nothing. The stored file
is deleted as soon as its job has run, and job rows go after ``JOB_RETENTION``.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django_tasks import task

from academy.core.tabular import ImportReport, TabularFileError, read_upload
from academy.network.models import Organisation
from academy.network.services import may_manage_roster

from .models import ImportJob
from .resources import import_external_training, import_staff_roster
from .scope import scope_for

logger = logging.getLogger(__name__)

DEFAULT_INLINE_MAX_ROWS = 500
PROGRESS_EVERY = 100  # rows between two progress writes
PROGRESS_TIMEOUT = 60 * 60 * 24
JOB_RETENTION = datetime.timedelta(days=30)


def inline_max_rows() -> int:
    return int(getattr(settings, "IMPORT_INLINE_MAX_ROWS", DEFAULT_INLINE_MAX_ROWS))


@dataclass(frozen=True)
class Progress:
    processed: int
    total: int


def start_import(upload, kind: str, user, organisation: Organisation | None = None) -> ImportJob | None:
    """Queue a large upload as an ``ImportJob`` (returned), or return None for the caller to import it
    inline. Raises ``TabularFileError`` for an unreadable file (nothing is stored) and ``PermissionError``
    for a roster of an organisation ``user`` does not manage."""
    if kind not in ImportJob.Kind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    if kind == ImportJob.Kind.ROSTER and (organisation is None or not may_manage_roster(user, organisation)):
        raise PermissionError(_("You cannot manage the roster of this organisation."))
    name = getattr(upload, "name", "") or ""
    rows = len(read_upload(upload, name))
    upload.seek(0)
    if rows <= inline_max_rows():
        return None
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".csv", ".xlsx") else ".csv"
    job = ImportJob(kind=kind, created_by=user, total=rows,
                    organisation=organisation if kind == ImportJob.Kind.ROSTER else None)
    # A random name: the uploaded one may name the cooperative or a person.
    job.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(upload.read()), save=False)
    job.save()
    # The Redis backend pushes the task once the request's transaction (if any) commits, so the worker
    # finds the job; the immediate backend (development, tests) runs it here, in process.
    try:
        import_job_task.enqueue(job.pk)
    except Exception:
        logger.exception("could not enqueue import job %s", job.pk)
        _finish(job, ImportJob.Status.FAILED, error=_("The import could not be started: please try again later."))
    return job


@task(queue_name="default")
def import_job_task(job_id: int) -> str:
    return run_import_job(job_id).status


def _progress_key(job_id: int) -> str:
    return f"hr:import-job:{job_id}:rows"


def progress(job: ImportJob) -> Progress:
    """Rows read so far. The import runs in one transaction, so on PostgreSQL nothing it writes (not even a
    counter on the job row) is visible to other requests until it commits: the count goes through the
    cache instead, which the job page reads while the worker runs."""
    processed = cache.get(_progress_key(job.pk))
    if processed is None:
        processed = job.done
    return Progress(min(int(processed), job.total), job.total)


class _Counter:
    """Counts rows and writes the count to the cache every ``PROGRESS_EVERY`` rows (one write per row
    would cost as much as the import on a remote cache)."""

    def __init__(self, job_id: int):
        self.key, self.rows = _progress_key(job_id), 0

    def __call__(self) -> None:
        self.rows += 1
        if self.rows % PROGRESS_EVERY == 0:
            self.flush()

    def flush(self) -> None:
        cache.set(self.key, self.rows, PROGRESS_TIMEOUT)


def _claim(job_id: int) -> ImportJob | None:
    """Mark the job running, unless it is not queued any more: a retried task never imports twice."""
    if not ImportJob.start(job_id):
        return None
    return ImportJob.objects.select_related("created_by", "organisation").get(pk=job_id)


def _import(job: ImportJob, counter: _Counter) -> ImportReport:
    with job.file.open("rb") as stored:
        content = stored.read()
    upload = ContentFile(content, name=job.file.name)
    if job.kind == ImportJob.Kind.ROSTER:
        return import_staff_roster(upload, job.organisation, job.created_by, on_row=counter)
    # The officer's scope as it is now: one who has lost their role since the upload imports nothing.
    return import_external_training(upload, scope_for(job.created_by), job.created_by, on_row=counter)


def run_import_job(job_id: int) -> ImportJob:
    """Body of the task: run the job's atomic import once, store its report, delete the stored file."""
    job = _claim(job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    counter = _Counter(job.pk)
    counter.flush()
    try:
        report = _import(job, counter)
    except (TabularFileError, PermissionError) as exc:
        return _finish(job, ImportJob.Status.FAILED, error=str(exc), counter=counter)
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        return _finish(job, ImportJob.Status.FAILED, counter=counter, report={"exception": type(exc).__name__},
                       error=_("The import failed because of an error of the Academy: nothing was imported."))
    return _finish(job, ImportJob.Status.DONE, counter=counter, report={
        "created": report.created, "updated": report.updated, "pending": report.pending,
        "held": report.held, "errors": [[line, reason] for line, reason in report.errors]})


def _finish(job: ImportJob, status: str, *, error: str = "", report: dict | None = None,
            counter: _Counter | None = None) -> ImportJob:
    if counter is not None:
        counter.flush()
    ImportJob.finish(job.pk, status, error=error, report=report or {},
                     done=job.total if status == ImportJob.Status.DONE else 0)
    if job.file:
        job.file.delete(save=False)  # personal data: kept no longer than needed to import it
        job.save(update_fields=["file"])
    job.refresh_from_db()
    return job


def visible_job(user, job_id: int) -> ImportJob | None:
    """The job, if ``user`` started it or is staff (anyone else: None, so the view answers 404)."""
    from academy.core.permissions import is_staff

    jobs = ImportJob.objects.select_related("organisation")
    if not is_staff(user):
        jobs = jobs.filter(created_by=user)
    return jobs.filter(pk=job_id).first()


def recent_jobs(user, kind: str, limit: int = 5) -> list[ImportJob]:
    return list(ImportJob.objects.filter(created_by=user, kind=kind)[:limit])


def delete_jobs(jobs) -> int:
    """Delete job rows and any file still stored (a job that never ran)."""
    count = 0
    for job in jobs:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


def delete_old_jobs(now: datetime.datetime) -> int:
    """Job rows older than ``JOB_RETENTION``: their reports repeat names and addresses of the files."""
    return delete_jobs(ImportJob.objects.filter(created_at__lt=now - JOB_RETENTION))
