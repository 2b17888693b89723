"""Statements PostgreSQL plans afresh every time, on connections that prepare the rest
(ADR 0025), and statements this process compiles once (ADR 0027)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections, router
from django.db.models import Model, QuerySet


@contextmanager
def planned_each_time() -> Iterator[None]:
    """Statements run inside are never prepared on this connection. For a statement whose
    best plan depends on its parameters by orders of magnitude (a search's rare word against
    a common one), a prepared statement's generic plan, picked after five runs, would serve
    every later word with the plan of the average one. Elsewhere (SQLite, preparing turned
    off) it changes nothing."""
    connection.ensure_connection()
    raw = connection.connection
    threshold = getattr(raw, "prepare_threshold", None)
    if threshold is None:
        yield
        return
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def columns_of(model: type[Model], only: Collection[str] | None = None) -> list[str]:
    """The model's columns (attnames), or those of them in `only`, in the model's field
    order: the order Model.from_db takes the values of a CompiledReads row in."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if only is None or field.attname in only
    ]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # Position in the row -> the converters Django applies to that column's value and the
    # column's expression (what a values_list query's results go through).
    converters: dict[int, tuple[list[Any], Any]]


class CompiledReads:
    """values_list reads whose SQL this process compiles once per key (ADR 0027): for a
    statement run on every request whose building and compiling cost Django more than the
    database's answer (a kept listing's rows, a product page's offers). The rows are read
    every time, with Django's converters; only the statement is kept. `key` must name
    everything the query is built from. At `limit` statements all are dropped."""

    def __init__(self, model: type[Model], *, limit: int = 512) -> None:
        self.model = model
        self.limit = limit
        self._statements: dict[tuple[str, Hashable], _Compiled] = {}

    def __len__(self) -> int:
        return len(self._statements)

    def forget(self) -> None:
        self._statements.clear()

    def keys(self) -> list[Hashable]:
        return [key for _alias, key in self._statements]

    def rows(self, key: Hashable, build: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
        alias = router.db_for_read(self.model)
        compiled = self._statements.get((alias, key))
        if compiled is None:
            compiled = self._compile(build(), alias)
            if len(self._statements) >= self.limit:
                self._statements.clear()
            self._statements[(alias, key)] = compiled
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            values = list(row)
            for position, (functions, expression) in compiled.converters.items():
                value = values[position]
                for function in functions:
                    value = function(value, expression, connection)
                values[position] = value
            converted.append(tuple(values))
        return converted

    @staticmethod
    def _compile(queryset: QuerySet[Any], alias: str) -> _Compiled:
        # As Django's own values_list iteration does (SQLCompiler.results_iter): the select
        # and its converters come from the compiler that wrote the SQL.
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        expressions = [column[0] for column in compiler.select[: compiler.col_count]]
        return _Compiled(
            sql=sql, params=tuple(params), converters=compiler.get_converters(expressions)
        )
