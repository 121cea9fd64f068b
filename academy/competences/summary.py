"""People by status for each obligation and requirement: the dashboard's "by obligation" table, built
from the engine's items (so its counts are the people table's, row for row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .engine import COMPLIANT, DUE, LAPSED, OVERDUE, Item


@dataclass
class ItemSummary:
    kind: str
    pk: int
    title: str
    reference: str
    unit: str
    sort_key: tuple
    counts: dict[str, int] = field(default_factory=lambda: {COMPLIANT: 0, DUE: 0, LAPSED: 0, OVERDUE: 0})
    planned: int = 0
    missing: Decimal = Decimal(0)  # hours (or credits, ``unit``) missing over the people who must act

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    @property
    def compliant(self) -> int:
        return self.counts[COMPLIANT]

    @property
    def due(self) -> int:
        return self.counts[DUE]

    @property
    def lapsed(self) -> int:
        return self.counts[LAPSED]

    @property
    def overdue(self) -> int:
        return self.counts[OVERDUE]

    @property
    def to_act(self) -> int:
        return self.people - self.compliant

    @property
    def is_obligation(self) -> bool:
        return self.kind == "obligation"

    @property
    def compliant_share(self) -> float:
        return round(100 * self.compliant / self.people, 1) if self.people else 0.0


def summarise(per_person: Iterable[Iterable[Item]]) -> list[ItemSummary]:
    """One summary per obligation (catalogue order), then per requirement (label order)."""
    found: dict[str, ItemSummary] = {}
    for items in per_person:
        for item in items:
            summary = found.get(item.key)
            if summary is None:
                summary = found[item.key] = ItemSummary(item.kind, item.pk, item.title, item.reference, item.unit,
                                                        item.sort_key)
            summary.counts[item.status] += 1
            if item.needs_action:
                summary.planned += bool(item.planned)
                summary.missing += item.missing or 0
    return sorted(found.values(), key=lambda s: s.sort_key)
