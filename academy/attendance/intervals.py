"""THE rule from join/leave intervals to minutes, and the one writer of intervals.

``merged_spans`` clips every interval to the session window (nobody is credited for the waiting room
before the start or for staying on after the end), drops what falls outside it, and merges overlapping
or touching spans (two devices, a rejoin before Teams noticed the drop), so that a second of presence
counts once. ``minutes_from_intervals`` is the whole seconds of the union, floored to minutes. An open
interval (checked in, not yet checked out) counts up to ``now`` or the session's end, whichever comes
first.

The one writer of intervals: ``replace_intervals`` stores a source's intervals for a person at a session
(a re-import replaces them) and records the derived minutes through ``record_minutes``, so the minutes
rule (``services.combine``) still decides between sources; ``open_interval`` / ``close_open_intervals``
serve check-in and check-out, ``replace_session_intervals`` a whole Teams report.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from academy.courses.models import Session

from .models import AttendanceInterval, AttendanceRecord
from .signals import attendance_imported

Span = tuple[datetime.datetime, datetime.datetime | None]


def merged_spans(spans: Iterable[Span], start: datetime.datetime, end: datetime.datetime, *,
                 now: datetime.datetime | None = None) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The union of ``spans`` inside ``[start, end]``, as sorted, disjoint ``(join, leave)`` pairs."""
    open_until = min(end, now or timezone.now())
    clipped = []
    for joined, left in spans:
        left = open_until if left is None else left
        joined, left = max(joined, start), min(left, end)
        if left > joined:
            clipped.append((joined, left))
    clipped.sort()
    merged: list[tuple[datetime.datetime, datetime.datetime]] = []
    for joined, left in clipped:
        if merged and joined <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], left))
        else:
            merged.append((joined, left))
    return merged


def minutes_from_intervals(spans: Iterable[Span], start: datetime.datetime, end: datetime.datetime, *,
                           now: datetime.datetime | None = None) -> int:
    """Whole minutes of presence inside the session window, overlaps counted once."""
    seconds = sum((left - joined).total_seconds() for joined, left in merged_spans(spans, start, end, now=now))
    return int(seconds // 60)


def session_minutes(session, spans: Iterable[Span], *, now: datetime.datetime | None = None) -> int:
    return minutes_from_intervals(spans, session.starts_at, session.ends_at, now=now)


def replace_intervals(session, person, source: str, spans: Sequence[Span], *, by=None,
                      reason: str = "") -> AttendanceRecord:
    """Make ``spans`` the intervals of ``person`` at ``session`` from ``source`` and record the minutes
    they give. The source's previous intervals go (a report is the whole truth for its source)."""
    from .services import record_minutes

    recorded_by = _user_or_none(by)
    with transaction.atomic():
        AttendanceInterval.objects.filter(session=session, person=person, source=source).delete()
        AttendanceInterval.objects.bulk_create([
            AttendanceInterval(session=session, person=person, source=source, joined_at=joined, left_at=left,
                               recorded_by=recorded_by) for joined, left in spans])
        return record_minutes(session, person, session_minutes(session, spans), source, by=by, reason=reason)


def open_interval(session, person, source: str, joined_at: datetime.datetime, *, by=None) -> bool:
    """Open an interval at ``joined_at`` unless one of ``source`` is open already (a second check-in
    scan); True if one was opened."""
    if AttendanceInterval.objects.filter(session=session, person=person, source=source,
                                         left_at__isnull=True).exists():
        return False
    AttendanceInterval.objects.create(session=session, person=person, source=source, joined_at=joined_at,
                                      recorded_by=_user_or_none(by))
    return True


def close_open_intervals(session, person, source: str, left_at: datetime.datetime) -> list[Span] | None:
    """Close the open intervals of ``source`` at ``left_at`` (never before they opened) and return all of
    that source's spans for the person, or None when none was open. Call inside a transaction."""
    intervals = list(AttendanceInterval.objects.select_for_update().filter(session=session, person=person,
                                                                           source=source))
    open_ones = [i for i in intervals if i.left_at is None]
    if not open_ones:
        return None
    for interval in open_ones:
        interval.left_at = max(left_at, interval.joined_at)
        interval.save(update_fields=["left_at"])
    return [(i.joined_at, i.left_at) for i in intervals]


def replace_session_intervals(session, source: str, spans_by_person: dict[int, Sequence[Span]]) -> None:
    """Make ``spans_by_person`` (person id -> spans) the whole of ``source``'s intervals at ``session``
    (an attendance report for every participant at once) and announce it (``attendance_imported``).
    Call inside a transaction."""
    AttendanceInterval.objects.filter(session=session, source=source).delete()
    AttendanceInterval.objects.bulk_create(
        [AttendanceInterval(session=session, person_id=person_id, source=source, joined_at=joined, left_at=left)
         for person_id, spans in spans_by_person.items() for joined, left in spans], batch_size=1000)
    attendance_imported.send(sender=AttendanceInterval, session=session, source=source,
                             person_ids=sorted(spans_by_person))


def add_intervals(session_id: int, person, source: str, spans: Sequence[Span], *, by=None) -> None:
    """Add ``spans`` to the person's intervals of ``source`` (an entry of a report that staff matched to
    ``person`` later) and announce it (``attendance_imported``). Call inside a transaction."""
    AttendanceInterval.objects.bulk_create([
        AttendanceInterval(session_id=session_id, person=person, source=source, joined_at=joined, left_at=left,
                           recorded_by=_user_or_none(by)) for joined, left in spans])
    attendance_imported.send(sender=AttendanceInterval, session=Session.objects.get(pk=session_id), source=source,
                             person_ids=[person.pk])


def _user_or_none(user):
    return user if (user is not None and getattr(user, "is_authenticated", False)) else None


def intervals_by_person(session_ids: Iterable[int], person_ids: Iterable[int] | None = None
                        ) -> dict[tuple[int, int], list[AttendanceInterval]]:
    """``{(session_id, person_id): [intervals by join time]}`` in one query (registers, benchmarks)."""
    qs = AttendanceInterval.objects.filter(session_id__in=list(session_ids))
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    found: dict[tuple[int, int], list[AttendanceInterval]] = {}
    for interval in qs.order_by("joined_at", "pk"):
        found.setdefault((interval.session_id, interval.person_id), []).append(interval)
    return found
