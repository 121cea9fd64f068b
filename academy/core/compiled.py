"""Querysets compiled once per process, for the few reads where compiling costs more than running.

Building and compiling a Django query with subqueries takes more CPU than PostgreSQL spends running it;
on the register endpoint, which hundreds of people hit in the same minute, that was the largest single
cost of a request. A ``CompiledRead`` keeps the query's definition in the ORM (so each rule keeps its
one home, e.g. ``schedule_sequence_of``) and reuses the SQL it compiles to with a new argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

# A value no primary key or foreign key holds: it marks where the argument sits among the parameters.
_SENTINEL = -7_654_321_987


class CompiledRead:
    """``build(value)`` returns a queryset that uses ``value`` exactly once as a query parameter."""

    def __init__(self, build: Callable[[Any], QuerySet]):
        self._build = build
        self._compiled: dict[tuple[str, str], tuple[type[Model], str, tuple, int]] = {}

    def _sql(self, alias: str) -> tuple[type[Model], str, tuple, int]:
        key = (alias, connections[alias].vendor)
        if key not in self._compiled:
            queryset = self._build(_SENTINEL)
            sql, params = queryset.query.get_compiler(using=alias).as_sql()
            positions = [i for i, p in enumerate(params) if p == _SENTINEL]
            if len(positions) != 1:
                raise ValueError("a compiled read must use its argument exactly once")
            self._compiled[key] = (queryset.model, sql, tuple(params), positions[0])
        return self._compiled[key]

    def _params(self, alias: str, value) -> tuple[type[Model], str, tuple]:
        model, sql, params, at = self._sql(alias)
        return model, sql, params[:at] + (value,) + params[at + 1:]

    def first(self, value, *, using: str = "default") -> Model | None:
        """The first model instance the query returns (annotations become attributes), or None."""
        model, sql, params = self._params(using, value)
        return next(iter(model.objects.using(using).raw(sql, params)), None)

    def row(self, value, *, using: str = "default") -> tuple | None:
        """The first row of a ``values_list`` query, as a tuple, or None."""
        _model, sql, params = self._params(using, value)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
