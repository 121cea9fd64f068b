"""Run a background worker: ``manage.py academy_worker`` (production, ``TASKS_BACKEND=rq``).

django-tasks' RQ backend needs its own RQ job class, which plain ``rqworker`` does not use (tasks
would fail with "'Task' object is not callable"); this command starts RQ's worker with it."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

RQ_BACKEND = "django_tasks_rq.RQBackend"
JOB_CLASS = "django_tasks_rq.backend.Job"


class Command(BaseCommand):
    help = "Run a worker for the Academy's background tasks (django-tasks on Redis through RQ)."

    def add_arguments(self, parser):
        # E-mail first: RQ takes the next job from the first non-empty queue in this order.
        parser.add_argument("queues", nargs="*", default=list(settings.TASK_QUEUES))
        parser.add_argument("--burst", action="store_true", help="Exit when the queues are empty.")

    def handle(self, *args, queues, burst, **options):
        # The settings use a subclass (academy.core.task_backends.OnCommitRQBackend): any RQ backend will do.
        if not issubclass(import_string(settings.TASKS["default"]["BACKEND"]), import_string(RQ_BACKEND)):
            raise CommandError("Background workers need TASKS_BACKEND=rq and REDIS_URL; with the embedded "
                               "default (immediate) tasks already run in process.")
        call_command("rqworker", *queues, job_class=JOB_CLASS, burst=burst)
