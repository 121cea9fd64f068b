"""Successful-login records (django-axes ``AccessLog``: username, IP address, browser, times): personal
data of the person who logged in. They are exported with the person's data, deleted with their erasure
(privacy registry, below) and purged after ``ACADEMY_LOGIN_LOG_DAYS`` (default 90) by a periodic step
(``tasks.py``), as the privacy notice says. Failed attempts (``AccessAttempt``) expire with axes' cool-off;
those naming the person go at erasure too.
"""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Q

from academy.core import privacy

DEFAULT_DAYS = 90


def retention_days() -> int:
    return int(getattr(settings, "ACADEMY_LOGIN_LOG_DAYS", DEFAULT_DAYS))


def _usernames(person) -> Q:
    names = {n for n in (person.email, person.user.username if person.user else "") if n}
    query = Q(pk__in=[])
    for name in names:
        query |= Q(username__iexact=name)
    return query


def export_login_records(person) -> list[dict]:
    return [{"logged_in_at": r.attempt_time, "logged_out_at": r.logout_time, "ip_address": r.ip_address,
             "browser": r.user_agent} for r in AccessLog.objects.filter(_usernames(person)).order_by("attempt_time")]


def erase_login_records(person, *, by, now) -> None:
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        model.objects.filter(_usernames(person)).delete()


def purge_login_records(now: datetime.datetime) -> int:
    """Delete the successful-login records older than the stated period; returns how many."""
    count, _ = AccessLog.objects.filter(attempt_time__lt=now - datetime.timedelta(days=retention_days())).delete()
    return count


# Before the person (order 1000): the records are found by the account's username and the e-mail.
privacy.register("login_records", export=export_login_records, erase=erase_login_records, order=900,
                 export_order=40)
