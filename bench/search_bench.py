"""Search latency at scale: the query mix of bench/search_queries.py through the search
service, on a catalog made by bench/search_catalog.py.

    .venv/bin/python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/caravan_bench
    .venv/bin/python bench/search_bench.py --sqlite var/bench/search.sqlite3

Each query runs caravan.search.selectors.list_products(query=ProductQuery(...)) with
facets=True when the service accepts it, and is fully evaluated: the count, page 1's
listing cards (list()) and the facet counts. Reports p50, p95 and max per query class and
overall for one client (after a warm-up round), and for N concurrent clients (separate
processes, each with its own database connection, a bounded number of rounds and a time
bound). Also reports the index build time (from the generator's figures, or timed again
with --rebuild), the size of the search tables and their indexes, and, with --explain, the
plan of the slowest statement of the slowest queries. Prints markdown tables ready for
bench/RESULTS.md, and writes them to var/bench/search-bench-<database>.md.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import multiprocessing
import platform
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _path in (str(ROOT), str(ROOT / "src")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from bench.search_catalog import WORKDIR, set_environment, timings_path  # noqa: E402
from bench.search_queries import CLASSES, ISSUE_QUERIES, BenchQuery, query_mix  # noqa: E402

Sample = tuple[str, str, float]  # (class, label, milliseconds)


@dataclass(frozen=True)
class Prepared:
    query: BenchQuery
    product_query: Any  # caravan.search.selectors.ProductQuery


def prepare(queries: Iterable[BenchQuery]) -> list[Prepared]:
    """ProductQuery per bench query: a text query's category is the category facet (the
    category and everything below it); without text it is a category page's own scope."""
    from caravan.catalog.models import Category
    from caravan.search.selectors import ProductQuery

    ids = dict(Category.objects.values_list("slug", "id"))
    children: dict[int, list[int]] = {}
    for child, parent in Category.objects.filter(parent__isnull=False).values_list(
        "id", "parent_id"
    ):
        children.setdefault(parent, []).append(child)
    has_facet = "category" in ProductQuery.__dataclass_fields__
    prepared = []
    for query in queries:
        options: dict[str, Any] = {
            "text": query.text,
            "ships_from": query.ships_from,
            "price_min": query.price_min,
            "price_max": query.price_max,
        }
        if query.category:
            category = ids[query.category]
            if query.text and has_facet:
                options["category"] = category
            else:
                options["category_ids"] = (category, *children.get(category, []))
        prepared.append(Prepared(query, ProductQuery(**options)))
    return prepared


def facets_supported() -> bool:
    from caravan.search.selectors import list_products

    return "facets" in inspect.signature(list_products).parameters


def consume(value: Any) -> int:
    """Walk a result (facet counts) so that anything lazy in it is evaluated."""
    from django.db.models import QuerySet

    if isinstance(value, QuerySet):
        return len(list(value))
    if isinstance(value, dict):
        return sum(consume(item) for item in value.values()) + len(value)
    if isinstance(value, list | tuple | set):
        return sum(consume(item) for item in value) + len(value)
    if is_dataclass(value) and not isinstance(value, type):
        return sum(consume(getattr(value, item.name)) for item in fields(value))
    return 1


def run_query(prepared: Prepared, *, with_facets: bool) -> tuple[float, int, list[Any]]:
    """One query as a listing page needs it: milliseconds, total, page 1's cards."""
    from caravan.search.selectors import list_products

    started = time.perf_counter()
    if with_facets:
        listing = list_products(query=prepared.product_query, facets=True)
        consume(listing.facets)
    else:
        listing = list_products(query=prepared.product_query)
    total = listing.total
    cards = list(listing.page.object_list)
    return (time.perf_counter() - started) * 1000, total, cards


def single_client(
    prepared: list[Prepared], *, rounds: int, with_facets: bool
) -> tuple[list[Sample], dict[str, tuple[int, list[str]]]]:
    """A warm-up round (its totals and top names kept), then `rounds` timed rounds."""
    seen: dict[str, tuple[int, list[str]]] = {}
    for item in prepared:
        _ms, total, cards = run_query(item, with_facets=with_facets)
        seen[item.query.label] = (total, [card.product.name_ru for card in cards[:3]])
    samples: list[Sample] = []
    for _round in range(rounds):
        for item in prepared:
            ms, _total, _cards = run_query(item, with_facets=with_facets)
            samples.append((item.query.kind, item.query.label, ms))
    return samples, seen


def _client(
    index: int, prepared: list[Prepared], rounds: int, start_at: float, stop_at: float, facets: bool
) -> list[Sample]:
    from django.db import connections

    order = list(prepared)
    random.Random(index).shuffle(order)
    for item in order[:3]:  # the connection and the analysis caches, untimed
        run_query(item, with_facets=facets)
    time.sleep(max(0.0, start_at - time.time()))
    samples: list[Sample] = []
    for _round in range(rounds):
        for item in order:
            if time.time() >= stop_at:
                break
            ms, _total, _cards = run_query(item, with_facets=facets)
            samples.append((item.query.kind, item.query.label, ms))
    connections.close_all()
    return samples


def concurrent_clients(
    prepared: list[Prepared], *, clients: int, rounds: int, seconds: float, with_facets: bool
) -> tuple[list[Sample], float]:
    """`clients` forked processes, each its own connection, started together."""
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection
    context = multiprocessing.get_context("fork")
    start_at = time.time() + 5.0
    with context.Pool(clients) as pool:
        results = pool.starmap(
            _client,
            [
                (index, prepared, rounds, start_at, start_at + seconds, with_facets)
                for index in range(clients)
            ],
        )
    wall = time.time() - start_at
    return [sample for samples in results for sample in samples], wall


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def stats(values: list[float]) -> tuple[int, float, float, float]:
    if not values:
        return 0, math.nan, math.nan, math.nan
    return len(values), percentile(values, 0.5), percentile(values, 0.95), max(values)


# --- index build and size -------------------------------------------------------------


def rebuild(*, planner_workaround: bool, workers: int) -> float:
    from bench.search_catalog import Progress, build_index

    from caravan.catalog.models import Product

    total = Product.objects.count()
    started = time.perf_counter()
    build_index(
        progress=Progress("search index", total),
        planner_workaround=planner_workaround,
        workers=workers,
    )
    return time.perf_counter() - started


def sample_rebuild(*, batches: int) -> dict[str, float]:
    """Seconds per rebuild batch (project_listings of REBUILD_BATCH_SIZE products, as
    rebuild_index runs it) as the code stands, and, on PostgreSQL, with bitmap scans off:
    a full rebuild's time estimated from a sample, without running it."""
    from django.db import connection

    from caravan.catalog.models import Product
    from caravan.search.projection import project_listings
    from caravan.search.services import REBUILD_BATCH_SIZE

    ids = list(Product.objects.order_by("id").values_list("id", flat=True))
    rng = random.Random(7)
    starts = sorted(rng.sample(range(0, len(ids), REBUILD_BATCH_SIZE), batches))
    modes = ["as is"] + (["bitmap scans off"] if connection.vendor == "postgresql" else [])
    per_batch: dict[str, float] = {}
    for mode in modes:
        with connection.cursor() as cursor:
            if mode == "bitmap scans off":
                cursor.execute("SET enable_bitmapscan = off")
        started = time.perf_counter()
        for start in starts:
            project_listings(product_ids=ids[start : start + REBUILD_BATCH_SIZE], force=True)
        per_batch[mode] = (time.perf_counter() - started) / len(starts)
        with connection.cursor() as cursor:
            if mode == "bitmap scans off":
                cursor.execute("RESET enable_bitmapscan")
    full_batches = math.ceil(len(ids) / REBUILD_BATCH_SIZE)
    return {mode: seconds * full_batches for mode, seconds in per_batch.items()}


def index_sizes() -> list[tuple[str, int, int, int]]:
    """(table, bytes of rows, bytes of its indexes, total) per search table."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, pg_table_size(oid), pg_indexes_size(oid), "
                "pg_total_relation_size(oid) FROM pg_class "
                "WHERE relkind = 'r' AND relname LIKE 'search\\_%%' ORDER BY relname"
            )
            return [(name, rows, indexes, total) for name, rows, indexes, total in cursor]
        try:
            cursor.execute(
                "SELECT m.tbl_name, m.type, SUM(s.pgsize) FROM dbstat s "
                "JOIN sqlite_master m ON m.name = s.name "
                "WHERE m.tbl_name LIKE 'search\\_%' ESCAPE '\\' GROUP BY m.tbl_name, m.type"
            )
        except Exception:  # dbstat not compiled in: no breakdown
            return []
        sizes: dict[str, list[int]] = {}
        for table, kind, size in cursor.fetchall():
            # FTS5 keeps its index in shadow tables (search_fts_data, _idx, ...).
            owner = "search_fts" if table.startswith("search_fts") else table
            entry = sizes.setdefault(owner, [0, 0])
            entry[0 if kind == "table" else 1] += size
        return [
            (name, rows, indexes, rows + indexes) for name, (rows, indexes) in sorted(sizes.items())
        ]


def database_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return int(cursor.fetchone()[0])


# --- plans of the slowest ---------------------------------------------------------------


class Capture:
    """A connection.execute_wrapper keeping each statement with its milliseconds."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str, Any]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(((time.perf_counter() - started) * 1000, sql, params))


def explain_slowest(
    prepared: list[Prepared], samples: list[Sample], *, count: int, with_facets: bool
) -> list[str]:
    """Run each of the `count` slowest queries (by p95) once more, capturing its
    statements, and EXPLAIN ANALYZE the slowest statement (SQLite: EXPLAIN QUERY PLAN)."""
    from django.db import connection

    by_label: dict[str, list[float]] = {}
    for _kind, label, ms in samples:
        by_label.setdefault(label, []).append(ms)
    slowest = sorted(by_label, key=lambda label: -percentile(by_label[label], 0.95))[:count]
    lines: list[str] = []
    for label in slowest:
        item = next(item for item in prepared if item.query.label == label)
        capture = Capture()
        with connection.execute_wrapper(capture):
            ms, total, _cards = run_query(item, with_facets=with_facets)
        captured = capture.statements
        worst_ms, sql, params = max(captured, key=lambda entry: entry[0])
        statements_ms = sum(entry[0] for entry in captured)
        lines += [
            "",
            f"### {item.query.kind}: {label} ({total:,} results)",
            f"{ms:.1f} ms in all, {len(captured)} statements taking {statements_ms:.1f} ms; the "
            f"slowest ({worst_ms:.1f} ms):",
            "",
            "```",
            sql[:1500] + (" ..." if len(sql) > 1500 else ""),
            "```",
            "",
            "```",
        ]
        explain = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        with connection.cursor() as cursor:
            cursor.execute(explain + sql, params)
            plan = [" | ".join(str(value) for value in row) for row in cursor.fetchall()]
        lines += [*plan[:60], "```"]
    return lines


# --- report ---------------------------------------------------------------------------


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f}"


def latency_table(single: list[Sample], concurrent: list[Sample], clients: int) -> list[str]:
    lines = [
        f"| class | queries | 1 client: runs | p50 ms | p95 ms | max ms | {clients} clients: runs "
        "| p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in (*CLASSES, "all"):
        one = [ms for k, _l, ms in single if kind in (k, "all")]
        many = [ms for k, _l, ms in concurrent if kind in (k, "all")]
        distinct = len({label for k, label, _ms in single if kind in (k, "all")})
        a, b = stats(one), stats(many)
        name = "**all**" if kind == "all" else kind
        lines.append(
            f"| {name} | {distinct} | {a[0]} | {a[1]:.1f} | {a[2]:.1f} | {a[3]:.1f} | "
            f"{b[0]} | {b[1]:.1f} | {b[2]:.1f} | {b[3]:.1f} |"
        )
    return lines


def machine() -> str:
    import sqlite3

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        memory = 0
    return (
        f"{multiprocessing.cpu_count()} cores ({cpu}), {memory} GiB RAM, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url")
    target.add_argument("--sqlite")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of one client")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--client-rounds", type=int, default=2, help="rounds per client")
    parser.add_argument("--client-seconds", type=float, default=180.0, help="time bound")
    parser.add_argument("--no-facets", action="store_true", help="leave facet counts out")
    parser.add_argument("--rebuild", action="store_true", help="time rebuild_index again")
    parser.add_argument(
        "--planner-workaround", action="store_true", help="with --rebuild: bitmap scans off"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="with --rebuild: caravan search-rebuild --workers"
    )
    parser.add_argument(
        "--sample-batches", type=int, default=0, help="estimate a rebuild from N batches"
    )
    parser.add_argument("--explain", type=int, default=3, help="plans of the N slowest")
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="skip caravan.kernel.runtime.settle (what a web worker runs at start-up)",
    )
    args = parser.parse_args()
    url = f"sqlite:///{Path(args.sqlite).resolve()}" if args.sqlite else args.database_url
    set_environment(url)
    import django

    django.setup()
    from django.db import connection

    from caravan.catalog.models import Product
    from caravan.offers.models import Offer

    if not args.no_settle:
        # As a web worker starts (caravan.config.wsgi): the views loaded, and the objects
        # alive at start-up frozen out of the garbage collector's full collections.
        from caravan.kernel.runtime import settle

        settle()
    vendor = connection.vendor
    products, offers = Product.objects.count(), Offer.objects.count()
    with_facets = facets_supported() and not args.no_facets
    prepared = prepare(query_mix())
    print(f"{vendor}: {products:,} products, {offers:,} offers; {len(prepared)} queries; "
          f"facet counts {'included' if with_facets else 'not included'}")  # fmt: skip
    figures: dict[str, Any] = {}
    if timings_path(url).exists():
        figures = json.loads(timings_path(url).read_text(encoding="utf-8"))
    index_seconds = figures.get("seconds", {}).get("index")
    index_note = "generator run" + (
        " (bitmap scans off)" if figures.get("planner_workaround") else ""
    )
    if args.rebuild:
        index_seconds = rebuild(planner_workaround=args.planner_workaround, workers=args.workers)
        index_note = "--rebuild" + (" (bitmap scans off)" if args.planner_workaround else "")
        index_note += f", {args.workers} worker{'s' if args.workers > 1 else ''}"
        print(f"rebuild_index: {index_seconds:.1f} s")
    estimates = sample_rebuild(batches=args.sample_batches) if args.sample_batches else {}
    for mode, seconds in estimates.items():
        print(f"rebuild estimated from {args.sample_batches} batches, {mode}: {seconds:.0f} s")

    started = time.perf_counter()
    single, seen = single_client(prepared, rounds=args.rounds, with_facets=with_facets)
    print(f"one client: {len(single)} queries in {time.perf_counter() - started:.1f} s")
    explained = (
        explain_slowest(prepared, single, count=args.explain, with_facets=with_facets)
        if args.explain
        else []
    )
    many, wall = concurrent_clients(
        prepared,
        clients=args.clients,
        rounds=args.client_rounds,
        seconds=args.client_seconds,
        with_facets=with_facets,
    )
    print(f"{args.clients} clients: {len(many)} queries in {wall:.1f} s ({len(many) / wall:.1f}/s)")

    command = "python bench/search_bench.py " + " ".join(sys.argv[1:])
    sizes = index_sizes()
    lines = [
        f"- Machine: {machine()}",
        f"- Catalog: {products:,} products, {offers:,} offers (bench/search_catalog.py, "
        f"`{figures.get('command', '?')}`)",
        f"- Command: `{command}`",
        f"- Query mix: {len(prepared)} distinct queries (bench/search_queries.py); list_products "
        f"{'with facets=True (facet counts included)' if with_facets else 'without facet counts'}; "
        f"each query's count, page 1 cards and facets evaluated; one client: a warm-up round, "
        f"then {args.rounds} rounds; {args.clients} clients: separate processes, "
        f"{args.client_rounds} rounds each or {args.client_seconds:.0f} s, "
        f"{len(many) / wall:.1f} queries/s in all",
        "",
        *latency_table(single, many, args.clients),
        "",
    ]
    if index_seconds is not None:
        lines.append(f"Index build (rebuild_index, {index_note}): **{index_seconds / 60:.1f} min** "
                     f"({index_seconds:.0f} s).")  # fmt: skip
    for mode, seconds in estimates.items():
        lines.append(f"Rebuild estimated from {args.sample_batches} sampled batches, {mode}: "
                     f"{seconds / 60:.1f} min.")  # fmt: skip
    lines += [
        "",
        "| search table | rows, MiB | indexes, MiB | total, MiB |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {name} | {mib(rows)} | {mib(indexes)} | {mib(total)} |" for name, rows, indexes, total in sizes],
        f"| **all search tables** | {mib(sum(s[1] for s in sizes))} | {mib(sum(s[2] for s in sizes))} "
        f"| {mib(sum(s[3] for s in sizes))} |",
        "",
        f"Whole database: {mib(database_size())} MiB.",
    ]  # fmt: skip
    per_query = [
        "",
        "| class | query | results | p50 ms | p95 ms | top result |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for item in prepared:
        times = [ms for _k, label, ms in single if label == item.query.label]
        total, names = seen[item.query.label]
        per_query.append(
            f"| {item.query.kind} | {item.query.label} | {total:,} | {percentile(times, 0.5):.1f} | "
            f"{percentile(times, 0.95):.1f} | {names[0] if names else '-'} |"
        )  # fmt: skip
    print("\n".join(lines))
    print("\n".join(per_query))
    print("\n".join(explained))
    issue = {text for _kind, text in ISSUE_QUERIES}
    for item in prepared:
        if item.query.text in issue:
            total, names = seen[item.query.label]
            print(f"{item.query.text!r}: {total:,} results; {'; '.join(names)}")
    out = WORKDIR / f"search-bench-{vendor}.md"
    out.write_text("\n".join(lines + per_query + explained) + "\n", encoding="utf-8")
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
