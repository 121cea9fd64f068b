"""Privacy by registration (GDPR export and erasure), the way pretix's shredder works.

Each app that keeps personal data registers, in its own ``privacy.py`` module, an exporter and an eraser
for the rows it owns; the core never imports the apps. ``privacy.py`` modules are discovered when the
core app is ready.
"""

from __future__ import annotations

import datetime
import json
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


def autodiscover() -> None:
    # The core's own holder (unsent mail) registers here: ``academy/core/privacy.py`` is this module.
    from academy.core import outbox_privacy  # noqa: F401

    autodiscover_modules("privacy")
