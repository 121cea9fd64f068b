"""One shape for work a person starts and watches (a bulk certificate issue, a large HR import): a row
with its status, progress and times, moved through queued → running → done or failed by the three
class methods below, each one conditional UPDATE so that a retried task never runs a job twice."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why a failed job failed, for the person who started it
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)

    @classmethod
    def start(cls, pk: int) -> bool:
        """Mark a queued job running; False if it is not queued any more (another task has it)."""
        return bool(cls.objects.filter(pk=pk, status=cls.Status.QUEUED).update(
            status=cls.Status.RUNNING, started_at=timezone.now()))

    @classmethod
    def advance(cls, pk: int, count: int) -> None:
        """Add ``count`` to the job's progress (concurrent tasks add without losing each other's)."""
        cls.objects.filter(pk=pk).update(done=F("done") + count)

    @classmethod
    def finish(cls, pk: int, status: str, *, error: str = "", when_complete: bool = False, **fields) -> bool:
        """Close an active job as ``status`` (done or failed, with ``error`` and any other ``fields``);
        with ``when_complete`` only once its progress reached its total, so that the last of parallel
        tasks closes it. True if this call closed it."""
        jobs = cls.objects.filter(pk=pk, status__in=cls.ACTIVE)
        if when_complete:
            jobs = jobs.filter(done__gte=F("total"))
        return bool(jobs.update(status=status, error=error[:2000], finished_at=timezone.now(), **fields))
