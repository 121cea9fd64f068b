"""Privacy by registration (GDPR export and erasure), the way pretix's shredder works.

Each app that keeps personal data registers, in its own ``privacy.py`` module, an exporter and an eraser
for the rows it owns; the core never imports the apps. ``privacy.py`` modules are discovered when the
core app is ready.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

Exporter = Callable[[Any], Any]


class Eraser(Protocol):
    def __call__(self, person: Any, *, by: Any, now: datetime.datetime) -> None: ...


@dataclass(frozen=True)
class DataHolder:
    """One kind of personal data: ``export(person)`` returns data for the download (dates may stay
    dates), ``erase(person, by=, now=)`` removes or pseudonymises it. ``order`` sets the erasure order
    (lower first): erasers that find rows by the person's name or address run before the person itself is
    anonymised. ``export_order`` (default ``order``) sets where the holder's key appears in the export."""

    key: str
    export: Exporter | None = None
    erase: Eraser | None = None
    order: int = 100
    export_order: int | None = None


_holders: dict[str, DataHolder] = {}


def register(key: str, *, export: Exporter | None = None, erase: Eraser | None = None, order: int = 100,
             export_order: int | None = None) -> None:
    """Register (or replace, on re-import) the exporter and eraser of one kind of personal data."""
    _holders[key] = DataHolder(key, export, erase, order, export_order)


def unregister(key: str) -> None:
    _holders.pop(key, None)


def holders() -> list[DataHolder]:
    """The registered holders in erasure order."""
    return sorted(_holders.values(), key=lambda h: (h.order, h.key))


def export_person(person) -> dict[str, Any]:
    """Everything the registered holders keep about ``person``, keyed by holder, as plain JSON values."""
    exporting = sorted((h for h in _holders.values() if h.export is not None),
                       key=lambda h: (h.order if h.export_order is None else h.export_order, h.key))
    data = {h.key: h.export(person) for h in exporting}
    return json.loads(json.dumps(data, default=str))


def erase_person(person, *, by=None, now: datetime.datetime | None = None) -> None:
    """Run every registered eraser, in order, in one transaction: if one fails, nothing is erased."""
    now = now or timezone.now()
    with transaction.atomic():
        for holder in holders():
            if holder.erase is not None:
                holder.erase(person, by=by, now=now)


# --- legal holds: the course file of funded or mandatory training -------------------------------------

Hold = Callable[[Any], "datetime.datetime | None"]
_holds: dict[str, Hold] = {}


def register_hold(key: str, until: Hold) -> None:
    """Register a legal obligation to keep a course's file (GDPR art. 17(3)(b)).

    ``until(course)`` returns the end of the retention period for that course, or None when the rule
    does not apply. The app that knows why a course must be kept (a funded plan, mandatory safety
    training) registers it; erasers of the course file (certificates, attendance) ask ``held_until``.
    """
    _holds[key] = until


def unregister_hold(key: str) -> None:
    _holds.pop(key, None)


def held_until(course, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The latest end of the legal holds on ``course`` still running at ``now``, or None."""
    now = now or timezone.now()
    ends = [end for hold in _holds.values() if (end := hold(course)) is not None and end > now]
    return max(ends, default=None)


# --- redaction of free text ------------------------------------------------------------------------------

ERASED = "[…]"
"""What replaces a person's name, e-mail or codice fiscale inside a note or a mail kept after erasure."""


def identifiers(person) -> list[str]:
    """The strings that identify ``person`` in free text: full name, surname (when distinctive enough),
    e-mail and codice fiscale. Longest first, so the full name is replaced before the surname."""
    found = {person.full_name.strip(), (person.email or "").strip(), (getattr(person, "fiscal_code", "") or "")}
    if len(person.last_name or "") >= 4:
        found.add(person.last_name.strip())
    return sorted((f for f in found if f), key=len, reverse=True)


def redact(text: str, person, *, words: list[str] | None = None) -> str:
    """``text`` with every identifier of ``person`` replaced by ``ERASED`` (case-insensitive)."""
    words = identifiers(person) if words is None else words
    if not text or not words:
        return text
    return re.sub("|".join(re.escape(w) for w in words), ERASED, text, flags=re.IGNORECASE)


def mentions(person) -> Any:
    """A ``Q``-builder: ``mentions(person)("field")`` matches rows whose ``field`` names the person."""
    from django.db.models import Q

    words = identifiers(person)

    def on(*fields: str) -> Q:
        q = Q(pk__in=[])
        for field in fields:
            for word in words:
                q |= Q(**{f"{field}__icontains": word})
        return q

    return on


def autodiscover() -> None:
    # The core's own holders (mail, admin logs) register here: ``academy/core/privacy.py`` is this module.
    from academy.core import log_privacy, outbox_privacy  # noqa: F401

    autodiscover_modules("privacy")
