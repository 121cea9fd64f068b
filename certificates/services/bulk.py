"""Issue a whole course's certificates, in the foreground or as a background job with progress.

In the background the certificates are rendered by the task queue's workers in parallel: one task per
``BATCH_SIZE`` certificates, each running the one render path (``delivery.render_and_deliver``) and
adding to the job's progress; the last batch to finish marks the job done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from academy.core.users import acting_user
from academy.courses.models import CoursePage
from academy.network.models import Person

from ..models import BulkIssueJob, Certificate, CertificateEvent
from ..signals import events_created_in_bulk
from .content import CourseFacts
from .delivery import render_and_deliver
from .issuing import attendance_note, bump_version, new_certificate
from .rules import course_eligibility

logger = logging.getLogger(__name__)

BATCH_SIZE = 25
"""Certificates per background task: small enough to spread over the workers and show progress, large
enough that a task's fixed cost is paid rarely (an RQ worker forks per task, and the fork's first render
loads WeasyPrint's fonts: about 0.7 s of CPU)."""


@dataclass
class BulkIssueResult:
    eligible: int = 0
    ineligible: int = 0
    created: int = 0
    reissued: int = 0
    unchanged: int = 0
    rendered: int = 0
    emailed: int = 0
    codes: dict[int, str] = field(default_factory=dict)


def issue_for_course(course: CoursePage, by=None, *, job: BulkIssueJob | None = None) -> BulkIssueResult:
    """Issue the certificates of every eligible confirmed registrant; idempotent.

    In one transaction: new ``Certificate`` rows (with codes) for eligible people without one, and a
    version bump for valid certificates whose minutes/hours changed since (a correction). Then every
    valid certificate still without a PDF is rendered, signed, stored and e-mailed: here, one by one,
    or with a ``job`` by the task queue's workers, ``BATCH_SIZE`` per task (the job shows the progress).
    Running it again issues nothing twice and sends nothing twice.
    People who are no longer eligible keep their certificate: revoking is a staff decision.
    """
    course = course.canonical
    facts = CourseFacts.load(course)
    verdicts = course_eligibility(course)
    result = BulkIssueResult(eligible=sum(v.eligible for v in verdicts.values()))
    result.ineligible = len(verdicts) - result.eligible
    now = timezone.now()
    with transaction.atomic():
        existing = {c.person_id: c for c in Certificate.objects.select_for_update().filter(course=course)}
        people = Person.objects.in_bulk([pid for pid, v in verdicts.items() if v.eligible and pid not in existing])
        new = [new_certificate(course, people[pid], v, facts, now)
               for pid, v in verdicts.items() if v.eligible and pid not in existing]
        Certificate.objects.bulk_create(new, batch_size=500)
        if new and new[0].pk is None:  # backends that do not return ids from bulk inserts
            new = list(Certificate.objects.filter(course=course, person_id__in=[c.person_id for c in new]))
        events = CertificateEvent.objects.bulk_create(
            [CertificateEvent(certificate=c, action=CertificateEvent.Action.ISSUED, at=now, by=acting_user(by),
                              note=attendance_note(c.minutes_attended, c.hours)) for c in new], batch_size=500)
        if events:
            events_created_in_bulk.send(sender=CertificateEvent, events=events)
        result.created = len(new)
        for pid, certificate in existing.items():
            verdict = verdicts.get(pid)
            if (certificate.is_valid and verdict is not None and verdict.eligible
                    and (certificate.minutes_attended, certificate.hours) != (verdict.minutes, verdict.hours)):
                bump_version(certificate, verdict, facts, by, "")
                result.reissued += 1
    pending = Certificate.objects.filter(course=course, status=Certificate.Status.VALID, pdf="").order_by("pk")
    result.unchanged = len(existing) - result.reissued
    if job is None:
        certificates = list(pending.select_related("person__organisation"))
        result.emailed = render_and_deliver(certificates, facts, by=by)
        result.rendered = len(certificates)
    else:
        ids = list(pending.values_list("pk", flat=True))
        BulkIssueJob.objects.filter(pk=job.pk).update(total=len(ids), done=0, created=result.created,
                                                      reissued=result.reissued, ineligible=result.ineligible)
        for start in range(0, len(ids), BATCH_SIZE):
            enqueue_batch(job, ids[start:start + BATCH_SIZE])
    result.codes = dict(Certificate.objects.filter(course=course).values_list("person_id", "code"))
    return result


def enqueue_batch(job: BulkIssueJob, ids: list[int]) -> None:
    from ..tasks import render_batch_task

    render_batch_task.enqueue(job.pk, ids)


def run_batch(job_id: int, certificate_ids: list[int]) -> int:
    """Body of a background batch: render, sign, store and e-mail these certificates (those still
    without a PDF: a retried batch does nothing twice), then count them into the job's progress."""
    job = BulkIssueJob.objects.select_related("course", "requested_by").get(pk=job_id)
    certificates = list(Certificate.objects.filter(pk__in=certificate_ids, status=Certificate.Status.VALID, pdf="")
                        .select_related("person__organisation").order_by("pk"))
    try:
        if certificates:
            render_and_deliver(certificates, CourseFacts.load(job.course), by=job.requested_by)
    except Exception as exc:
        logger.exception("bulk issue %s: batch failed", job_id)
        BulkIssueJob.finish(job_id, BulkIssueJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    BulkIssueJob.advance(job_id, len(certificate_ids))
    BulkIssueJob.finish(job_id, BulkIssueJob.Status.DONE, when_complete=True)
    return len(certificates)


# --- background bulk issue --------------------------------------------------------------------------


def start_bulk_issue(course: CoursePage, by) -> BulkIssueJob:
    """Staff action: queue a bulk issue for ``course`` (one at a time per course)."""
    from ..tasks import bulk_issue_task

    course = course.canonical
    with transaction.atomic():
        running = BulkIssueJob.objects.filter(course=course, status__in=BulkIssueJob.ACTIVE).first()
        if running is not None:
            return running
        job = BulkIssueJob.objects.create(course=course, requested_by=acting_user(by))
        transaction.on_commit(lambda: bulk_issue_task.enqueue(job.pk))
    return job


def run_bulk_issue(job_id: int) -> BulkIssueJob:
    """Body of the background task: run ``issue_for_course`` and record the outcome on the job."""
    job = BulkIssueJob.objects.select_related("course", "requested_by").get(pk=job_id)
    if not BulkIssueJob.start(job.pk):  # done, failed, or taken by another run of this task
        return job
    try:
        issue_for_course(job.course, job.requested_by, job=job)
    except Exception as exc:
        logger.exception("bulk issue %s failed", job.pk)
        BulkIssueJob.finish(job.pk, BulkIssueJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:  # nothing to render, or every batch already ran (immediate backend)
        BulkIssueJob.finish(job.pk, BulkIssueJob.Status.DONE, when_complete=True)
    job.refresh_from_db()
    return job
