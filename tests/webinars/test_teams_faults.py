"""Teams under faults (issue 13): identity-platform failures, timed-out and failing batches,
createOrGet, stale and deleted meetings, lost and foreign links, e-mail storms, attendance identity.
Every test runs over real HTTPS against the project's Graph emulator."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from academy.core.models import OutboxMessage
from academy.core.outbox import queue_email
from webinars import teams
from webinars.backends import GraphBackend
from webinars.graph import GraphClient, GraphError, GraphUnavailableError
from webinars.models import GraphOperation, TeamsMeeting

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Stands for the process being killed: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def graph_settings(settings, graph_emulator):
    settings.TEAMS = {**settings.TEAMS, **{k.removeprefix("TEAMS_"): v for k, v in graph_emulator.env().items()},
                      "MAX_RETRIES": "1", "MAX_BACKOFF": "0.01"}
    return graph_emulator


def _backend(emulator, sleeps, **config):
    return GraphBackend(GraphClient(emulator.config(**config), sleep=sleeps))


# -- 1. identity-platform failures -----------------------------------------------------------------


@pytest.mark.parametrize("not_json,status", [(False, 503), (True, 429)])
def test_token_endpoint_failure_is_a_graph_error(graph_emulator, sleeps, not_json, status):
    client = GraphClient(graph_emulator.config(max_retries=2), sleep=sleeps)
    graph_emulator.faults.token_failure(10, status, not_json=not_json)

    with pytest.raises(GraphUnavailableError):
        client.acquire_token()


def test_scheduler_delivers_the_outbox_while_the_identity_platform_is_down(make_course, graph_settings):
    make_course()  # a session still waiting for its meeting: the Teams step will call Graph
    for n in range(10):
        queue_email(f"test:{n}", f"p{n}@example.org", "Oggetto", "Testo")
    graph_settings.faults.token_failure(1000, 503)

    call_command("academy_scheduler")  # the Teams step logs and reports, it does not raise

    assert len(mail.outbox) == 10
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
    assert GraphOperation.objects.filter(kind="create", status="failed").exists()
