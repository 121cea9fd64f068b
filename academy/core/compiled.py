"""Querysets compiled once per process, for the few reads where compiling costs more than running.

Building and compiling a Django query with joins and subqueries takes more CPU than PostgreSQL spends
running it; on the register endpoint, which hundreds of people hit in the same minute, that was the
largest single cost of a request. A ``CompiledRead`` keeps the query's definition in the ORM (so each
rule keeps its one home, e.g. ``schedule_sequence_of``), compiles it once per database connection
alias, and reuses that SQL with a new argument. Rows become model instances the way Django's own
``ModelIterable`` makes them (``select_related`` objects and annotations included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# A value no primary key or foreign key holds: it marks where the argument sits among the parameters.
_SENTINEL = -2_013_265_921  # within a 32-bit integer: Django refuses out-of-range values before SQL


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple
    at: int  # the argument's position in ``params``
    init_list: list[str]
    fields: slice
    populators: list
    annotations: dict[str, int]


class CompiledRead:
    """``build(value)`` returns a queryset that uses ``value`` exactly once as a query parameter."""

    def __init__(self, build: Callable[[Any], QuerySet]):
        self._build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _get(self, alias: str) -> _Compiled:
        key = (alias, connections[alias].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiler = self._build(_SENTINEL).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            positions = [i for i, p in enumerate(params) if p == _SENTINEL]
            if len(positions) != 1:
                raise ValueError("a compiled read must use its argument exactly once")
            info = compiler.klass_info
            fields = slice(info["select_fields"][0], info["select_fields"][-1] + 1) if info else slice(0, 0)
            compiled = _Compiled(
                compiler, sql, tuple(params), positions[0],
                [column[0].target.attname for column in compiler.select[fields]] if info else [], fields,
                get_related_populators(info, compiler.select, alias) if info else [],
                dict(compiler.annotation_col_map or {}))
            self._compiled[key] = compiled
        return compiled

    def _row(self, compiled: _Compiled, value, using: str) -> tuple | None:
        params = compiled.params[:compiled.at] + (value,) + compiled.params[compiled.at + 1:]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        return next(iter(compiled.compiler.results_iter([[row]])))  # the fields' converters

    def first(self, value, *, using: str = "default") -> Model | None:
        """The first model instance the query returns, or None."""
        compiled = self._get(using)
        row = self._row(compiled, value, using)
        if row is None:
            return None
        obj = compiled.compiler.klass_info["model"].from_db(using, compiled.init_list, row[compiled.fields])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations.items():
            setattr(obj, name, row[position])
        return obj

    def row(self, value, *, using: str = "default") -> tuple | None:
        """The first row of a ``values_list`` query, as a tuple, or None."""
        return self._row(self._get(using), value, using)
