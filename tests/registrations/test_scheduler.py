"""``academy_scheduler``: one pass sends the periodic signal; every app's step runs, a failing step
is named in the output and the exit status, and never keeps the others (outbox delivery above all)
from running."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from academy.core.models import OutboxMessage
from academy.core.outbox import queue_email

pytestmark = pytest.mark.django_db

EMPTY_TEAMS = {"meetings_created": 0, "meetings_synced": 0, "meetings_deleted": 0, "attendance_imported": 0}


@pytest.fixture(autouse=True)
def _quiet_teams_and_fresh_cache():
    cache.clear()
    with mock.patch("webinars.teams.scheduled_pass", return_value=EMPTY_TEAMS) as teams:
        yield teams


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("academy_scheduler", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def pending_message() -> OutboxMessage:
    return queue_email("test:scheduler:1", "chiara@example.org", "Promemoria", "Domani alle 15.")


def test_a_pass_runs_every_step_and_delivers_the_outbox(_quiet_teams_and_fresh_cache):
    message = pending_message()
    with mock.patch("academy.registrations.services.send_due_reminders", return_value=0) as reminders, \
            mock.patch("academy.competences.services.send_hr_digests", return_value=0) as digests:
        out, err = run()
    assert out.strip().endswith("ok") and err == ""
    reminders.assert_called_once()
    digests.assert_called_once_with(timezone.localdate(reminders.call_args.args[0]))
    _quiet_teams_and_fresh_cache.assert_called_once()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and [m.subject for m in mail.outbox] == ["Promemoria"]


def test_a_failing_step_does_not_prevent_outbox_delivery_and_is_named():
    message = pending_message()
    with mock.patch("academy.competences.services.send_hr_digests", side_effect=RuntimeError("HR down")), \
            pytest.raises(CommandError, match="send_hr_digests"):
        run()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and len(mail.outbox) == 1


def test_loop_survives_a_failing_step():
    class Stop(Exception):
        pass

    err = io.StringIO()
    with mock.patch("academy.registrations.services.send_due_reminders", side_effect=RuntimeError("boom")), \
            mock.patch("academy.core.management.commands.academy_scheduler.time.sleep",
                       side_effect=[None, Stop()]) as sleep, pytest.raises(Stop):
        call_command("academy_scheduler", "--loop", "--interval", "5", stdout=io.StringIO(), stderr=err)
    assert sleep.call_count == 2
    assert err.getvalue().count("failed: academy.registrations.tasks.send_reminders") == 2


def test_retention_purge_runs_once_a_day():
    with mock.patch("academy.registrations.services.purge_expired_personal_data", return_value=0) as purge:
        run()
        run()
    assert purge.call_count == 1
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("academy.registrations.services.purge_expired_personal_data", return_value=0) as purge, \
            mock.patch("django.utils.timezone.now", return_value=tomorrow):
        run()
    assert purge.call_count == 1
