"""Prepared statements on PostgreSQL, and the statements planned every time (ADR 0025)."""

import pytest
from django.db import connection

from caravan.kernel.statements import planned_each_time

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _run(sql: str, times: int) -> None:
    with connection.cursor() as cursor:
        for number in range(times):
            cursor.execute(sql, [number])
            cursor.fetchall()


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if fragment in row[0]]


def test_a_statement_run_five_times_on_a_connection_is_prepared():
    # given a connection with the settings' threshold
    assert connection.connection.prepare_threshold == 5
    # when one statement runs six times
    _run("SELECT %s::int + 4141", 6)
    # then PostgreSQL holds it prepared, once
    assert _prepared("+ 4141") == ["SELECT $1::int + 4141"]


def test_statements_planned_each_time_are_never_prepared_and_the_threshold_comes_back():
    # when one statement runs ten times inside planned_each_time
    with planned_each_time():
        _run("SELECT %s::int + 4242", 10)
    # then it was never prepared, and the connection prepares again after
    assert _prepared("+ 4242") == []
    assert connection.connection.prepare_threshold == 5
    _run("SELECT %s::int + 4242", 6)
    assert _prepared("+ 4242") == ["SELECT $1::int + 4242"]
