"""Latency of the judged queries per kind (tests/search/judged_queries.py) through
search_products with facet counts, as the search page runs them, on a seeded and indexed
demo database: what two typos, a wrong layout, sizes, synonyms and empty answers cost.

    .venv/bin/caravan migrate && .venv/bin/caravan seed_demo --products 320 \\
        && .venv/bin/caravan search-rebuild     # with DATABASE_URL set to the database
    .venv/bin/python bench/search_forgiving.py --database-url sqlite:////tmp/demo.sqlite3

One warm-up round, then --rounds timed rounds of every query (at most --seconds in all).
Prints p50 / p95 / max per kind as a markdown table, in wall time and in this process's CPU
time (on SQLite the database works in the process, so CPU time is the query's whole cost
and a machine busy with other work barely moves it). --kinds limits the queries to some
kinds (and --sets to some judged sets: base, zh, de; a kind of the Chinese or German set is
reported as "zh category", "de nothing"...); --entry list_products times the function every earlier version has, so the same
queries can be timed on an older checkout (copy this file into its bench/).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (str(ROOT), str(ROOT / "src")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from bench.search_catalog import set_environment  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=300.0, help="time bound")
    parser.add_argument("--kinds", nargs="*", default=[], help="only these kinds")
    parser.add_argument("--sets", nargs="*", default=[], help="only these judged sets")
    parser.add_argument(
        "--entry", choices=("search_products", "list_products"), default="search_products"
    )
    args = parser.parse_args()
    set_environment(args.database_url)
    import django

    django.setup()
    from django.db import connection
    from tests.search.judged_queries import JUDGED_QUERIES, Judged

    from caravan.search import selectors

    entry = getattr(selectors, args.entry)
    queries = [
        judged
        for judged in JUDGED_QUERIES
        if (not args.kinds or judged.kind in args.kinds)
        and (not args.sets or judged.set in args.sets)
    ]

    def label(judged: Judged) -> str:
        return judged.kind if judged.set == "base" else f"{judged.set} {judged.kind}"

    def run(text: str) -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        listing = entry(query=selectors.ProductQuery(text=text), facets=True)
        list(listing.page.object_list)
        return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000

    for judged in queries:
        run(judged.query)
    samples: dict[str, list[tuple[float, float]]] = defaultdict(list)
    deadline = time.monotonic() + args.seconds
    for _round in range(args.rounds):
        for judged in queries:
            if time.monotonic() > deadline:
                break
            samples[label(judged)].append(run(judged.query))
    print(f"{connection.vendor}: {len(queries)} judged queries, {args.rounds} rounds, {args.entry}")
    print("| kind | runs | wall p50 ms | p95 ms | max ms | CPU p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    everything = [value for values in samples.values() for value in values]
    for kind, values in [*sorted(samples.items()), ("**all**", everything)]:
        figures = []
        for column in (0, 1):
            times = [value[column] for value in values]
            figures += [statistics.median(times), percentile(times, 0.95), max(times)]
        print(f"| {kind} | {len(values)} | " + " | ".join(f"{f:.1f}" for f in figures) + " |")


if __name__ == "__main__":
    main()
