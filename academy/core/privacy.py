"""Privacy by registration (GDPR export and erasure), the way pretix's shredder works.

Each app that keeps personal data registers, in its own ``privacy.py`` module, an exporter and an eraser
for the rows it owns; the core never imports the apps. ``privacy.py`` modules are discovered when the
core app is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class DataHolder:
    """One kind of personal data: ``export(person)`` returns JSON-serialisable data, ``erase(person)`` removes
    or pseudonymises it. ``order`` sets the erasure order (lower first)."""

    key: str
    export: Exporter | None = None
    erase: Eraser | None = None
    order: int = 100


_holders: dict[str, DataHolder] = {}


def register(key: str, *, export: Exporter | None = None, erase: Eraser | None = None, order: int = 100) -> None:
    """Register (or replace, on re-import) the exporter and eraser of one kind of personal data."""
    _holders[key] = DataHolder(key, export, erase, order)


def holders() -> list[DataHolder]:
    return sorted(_holders.values(), key=lambda h: (h.order, h.key))


def export_person(person) -> dict[str, Any]:
    """Everything the registered holders keep about ``person``, keyed by holder."""
    return {h.key: h.export(person) for h in holders() if h.export is not None}


def erase_person(person) -> None:
    """Run every registered eraser, in order; the caller provides the transaction."""
    for holder in holders():
        if holder.erase is not None:
            holder.erase(person)


def autodiscover() -> None:
    autodiscover_modules("privacy")
