"""The floor under the checkout: what this machine's PostgreSQL gives at all (issue 9).

The real flow (bench/checkout.py: three cart adds, check_out, the sandbox's session, its
approval and the captured notification) is traced once through Django: every statement,
whether it ran inside a transaction, and where each transaction committed. The floor then
replays that same shape with plain psycopg, no Django, no ORM, no Python between the
statements but the loop: the same number of transactions, the same statements in each (a
SELECT for a SELECT, a locking SELECT for a locking one, an INSERT, UPDATE or DELETE for
the same), against narrow tables of its own where every worker touches only its own rows
(no lock is ever waited for). What the floor reaches is the ceiling of that shape on this
machine: round trips, parsing and planning trivial statements, WAL and the commits' fsync.

Then it runs the real flow and the floor interleaved, `--rounds` times, with the same
number of processes, and prints each figure and the real flow as a fraction of the floor.

Usage (demo data seeded first, see bench/RESULTS.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_bench_throughput \\
      CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// \\
      .venv/bin/python bench/checkout_floor.py --workers 2 --orders 200 --rounds 3 \\
      --more-workers 1 4 --rush-buyers 320 --stock 100
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from dataclasses import dataclass
from typing import Any

# The real flow's benchmark, beside this file (a script's directory is on sys.path).
import checkout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.config.settings.dev")

KINDS = ("select", "lock", "insert", "update", "delete", "savepoint", "release", "async")
ROWS_PER_WORKER = 64
# About the width of the flow's rows (an order line, a payment, a ledger posting).
PAYLOAD = "x" * 200


@dataclass(frozen=True)
class Shape:
    """One checkout as the database sees it: each transaction a tuple of statement kinds;
    a statement run outside any transaction is a transaction of its own (autocommit)."""

    transactions: tuple[tuple[str, ...], ...]

    @property
    def statements(self) -> int:
        return sum(len(kinds) for kinds in self.transactions)

    def writing(self) -> int:
        """Transactions that write, so commit to the WAL (the others end without a flush)."""
        return sum(
            1
            for kinds in self.transactions
            if any(kind in {"lock", "insert", "update", "delete"} for kind in kinds)
        )

    def durable(self) -> int:
        """Writing transactions whose commit waits for the WAL flush."""
        return sum(
            1
            for kinds in self.transactions
            if "async" not in kinds
            and any(kind in {"lock", "insert", "update", "delete"} for kind in kinds)
        )

    def describe(self) -> str:
        counts = {kind: 0 for kind in KINDS}
        for kinds in self.transactions:
            for kind in kinds:
                counts[kind] += 1
        detail = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
        return (
            f"{self.statements} statements ({detail}) in {len(self.transactions)} transactions, "
            f"{self.writing()} of them writing, {self.durable()} of those durable"
        )


def _kind(sql: str) -> str:
    text = sql.lstrip().upper()
    if text.startswith("SET LOCAL SYNCHRONOUS_COMMIT"):
        # A transaction the flow commits without waiting for the WAL flush; the floor does too.
        return "async"
    if text.startswith("RELEASE SAVEPOINT"):
        return "release"
    if text.startswith("SAVEPOINT"):
        return "savepoint"
    if text.startswith("SELECT") or text.startswith("WITH"):
        return "lock" if " FOR UPDATE" in text or " FOR NO KEY UPDATE" in text else "select"
    if text.startswith("INSERT"):
        return "insert"
    if text.startswith("UPDATE"):
        return "update"
    if text.startswith("DELETE"):
        return "delete"
    raise ValueError(f"a statement the floor cannot replay: {sql[:80]}")


def trace_shape() -> Shape:
    """One real checkout (after a warm-up one), statement by statement, with its commits."""
    from django.db import connection

    buyer, address = checkout._buyer("floor-trace")
    checkout.restock(workers=1, units=100)
    offer_ids = checkout._offers_by_currency(0)
    checkout.one_checkout(buyer=buyer, address=address, offer_ids=offer_ids)
    transactions: list[tuple[str, ...]] = []
    current: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        kind = _kind(sql)
        if connection.in_atomic_block:
            current.append(kind)
        else:
            transactions.append((kind,))
        return execute(sql, params, many, context)

    original_commit = connection._commit

    def commit() -> None:
        if current:
            transactions.append(tuple(current))
            current.clear()
        original_commit()

    connection._commit = commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(record):
            checkout.one_checkout(buyer=buyer, address=address, offer_ids=offer_ids)
    finally:
        connection._commit = original_commit  # type: ignore[method-assign]
    assert not current, "a transaction of the flow did not commit"
    return Shape(tuple(transactions))


SCHEMA = """
DROP TABLE IF EXISTS bench_floor_log, bench_floor_row;
CREATE TABLE bench_floor_row (
    id bigint PRIMARY KEY, worker int NOT NULL, counter bigint NOT NULL DEFAULT 0,
    payload text NOT NULL
);
CREATE TABLE bench_floor_log (
    id bigserial PRIMARY KEY, worker int NOT NULL, key text NOT NULL UNIQUE,
    amount numeric(20, 2) NOT NULL, payload text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bench_floor_log_worker ON bench_floor_log (worker, id);
"""


def prepare_tables(url: str, workers: int) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SCHEMA)
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_floor_row (id, worker, payload) VALUES (%s, %s, %s)",
                [
                    (worker * ROWS_PER_WORKER + row, worker, PAYLOAD)
                    for worker in range(workers)
                    for row in range(ROWS_PER_WORKER)
                ],
            )


def _floor_worker(
    url: str, worker: int, shape: Shape, count: int, durable: bool, queue: Any, go: Any
) -> None:
    import psycopg

    rows = [worker * ROWS_PER_WORKER + row for row in range(ROWS_PER_WORKER)]
    with psycopg.connect(url, autocommit=True) as conn:
        if not durable:
            conn.execute("SET synchronous_commit = off")
        sequence = 0
        last_insert = 0
        queue.put("ready")
        go.wait(timeout=600)
        started = time.perf_counter()
        for _ in range(count):
            for kinds in shape.transactions:
                transaction = conn.transaction() if len(kinds) > 1 else None
                if transaction is not None:
                    transaction.__enter__()
                for position, kind in enumerate(kinds):
                    row = rows[(sequence + position) % ROWS_PER_WORKER]
                    if kind == "select":
                        conn.execute(
                            "SELECT id, worker, counter, payload FROM bench_floor_row "
                            "WHERE id = %s",
                            (row,),
                        ).fetchall()
                    elif kind == "lock":
                        conn.execute(
                            "SELECT id, counter FROM bench_floor_row WHERE id = %s FOR UPDATE",
                            (row,),
                        ).fetchall()
                    elif kind == "insert":
                        sequence += 1
                        found = conn.execute(
                            "INSERT INTO bench_floor_log (worker, key, amount, payload) "
                            "VALUES (%s, %s, %s, %s) RETURNING id",
                            (worker, f"{worker}:{sequence}", "1268.75", PAYLOAD),
                        ).fetchone()
                        last_insert = found[0] if found else 0
                    elif kind == "update":
                        conn.execute(
                            "UPDATE bench_floor_row SET counter = counter + 1 WHERE id = %s",
                            (row,),
                        )
                    elif kind == "delete":
                        conn.execute("DELETE FROM bench_floor_log WHERE id = %s", (last_insert,))
                    elif kind == "savepoint":
                        conn.execute("SAVEPOINT floor")
                    elif kind == "release":
                        conn.execute("RELEASE SAVEPOINT floor")
                    elif kind == "async":
                        conn.execute("SET LOCAL synchronous_commit = off")
                if transaction is not None:
                    transaction.__exit__(None, None, None)
        queue.put(time.perf_counter() - started)


def run_floor(url: str, workers: int, shape: Shape, orders: int, *, durable: bool = True) -> float:
    """Replayed checkouts per second; `durable=False`: no commit waits for its WAL flush
    (what the shape costs without the disk)."""
    prepare_tables(url, workers)
    queue: multiprocessing.Queue = multiprocessing.Queue()
    per_worker = orders // workers
    go = multiprocessing.Event()
    processes = [
        multiprocessing.Process(
            target=_floor_worker, args=(url, index, shape, per_worker, durable, queue, go)
        )
        for index in range(workers)
    ]
    for process in processes:
        process.start()
    assert [queue.get(timeout=600) for _ in processes] == ["ready"] * workers
    busy = checkout.busy_core_seconds()
    go.set()
    elapsed = [queue.get(timeout=600) for _ in processes]
    busy = checkout.busy_core_seconds() - busy
    for process in processes:
        process.join(timeout=60)
    total = per_worker * workers
    print(
        f"floor{'' if durable else ' (no flush waits)'}, {workers} processes: "
        f"{total / max(elapsed):.1f} checkouts/s, machine CPU {busy / total * 1000:.1f} "
        "core-ms per checkout"
    )
    return total / max(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--orders", type=int, default=200, help="real checkouts per round")
    parser.add_argument(
        "--floor-orders", type=int, default=0, help="replayed checkouts per round (0: --orders)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--more-workers",
        type=int,
        nargs="*",
        default=[],
        help="also run the real flow with these numbers of processes in every round",
    )
    parser.add_argument(
        "--more-floor-workers",
        type=int,
        nargs="*",
        default=[],
        help="also run the floor with these numbers of processes (is it bound by the CPU?)",
    )
    parser.add_argument("--rush-buyers", type=int, default=0, help="0: no rush")
    parser.add_argument("--stock", type=int, default=100)
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("the floor is PostgreSQL's: set DATABASE_URL to a postgres:// URL")
    checkout._setup()
    shape = trace_shape()
    from django.db import connection

    connection.close()
    print(f"shape of one real checkout: {shape.describe()}")
    floor_orders = options.floor_orders or options.orders
    ratios: list[float] = []
    for number in range(1, options.rounds + 1):
        floor = run_floor(url, options.workers, shape, floor_orders)
        real = checkout.run_flow(options.workers, options.orders)
        no_flush = run_floor(url, options.workers, shape, floor_orders, durable=False)
        ratios.append(real / floor)
        print(
            f"round {number} ({options.workers} processes): floor {floor:.1f} checkouts/s, "
            f"real {real:.1f} checkouts/s = {real / floor:.1%} of the floor; "
            f"floor without waiting for any WAL flush {no_flush:.1f} checkouts/s"
        )
        for workers in options.more_floor_workers:
            run_floor(url, workers, shape, floor_orders)
        for workers in options.more_workers:
            # One process is the slowest: half the checkouts keep the round short.
            count = options.orders // 2 if workers == 1 else options.orders
            more = checkout.run_flow(workers, count)
            print(f"round {number}: real flow with {workers} processes {more:.1f} checkouts/s")
        if options.rush_buyers:
            rush = checkout.run_rush(options.workers, options.rush_buyers, options.stock)
            print(f"round {number}: rush {rush:.0f} orders/s ({options.workers} processes)")
    print(
        f"real / floor over {options.rounds} rounds: "
        + ", ".join(f"{ratio:.1%}" for ratio in ratios)
    )
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor_log, bench_floor_row")


if __name__ == "__main__":
    main()
