"""Search quality on the judged query set, per backend, and the backends' parity.

recall@10: the share of a query's relevant products found in its top 10, out of at most
ten (a query with 19 relevant products is perfect when its top 10 are all relevant).
nDCG@10: the same with binary gains, discounted by rank. Both are averaged over the
queries that have relevant products. precision@10: the share of the top 10 that is
relevant (a query that should find nothing scores 1 when it finds nothing, 0 otherwise);
the zero-result rate: the share of queries that found nothing at all. Queries run through
search_products, as the search page does (a wrong keyboard layout is put right there).
The top 10 of every query is also compared with tests/search/expected_top10.json,
written from the SQLite backend (set CARAVAN_WRITE_SEARCH_TOP10=1 to rewrite it): the
PostgreSQL run comparing against the same file is the backend-parity test.
"""

from __future__ import annotations

import io
import json
import math
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from caravan.catalog.models import AttributeValue
from caravan.offers.models import ProductOfferSummary
from caravan.search.selectors import ProductQuery, search_products
from caravan.search.services import rebuild_index

from .judged_queries import JUDGED_QUERIES, NOTHING, SETS, Judged

DEMO_PRODUCTS = 320
TOP = 10
RECALL_FLOOR = 0.9
# Per kind of the search that forgives: recall@10 at least this, and no empty result.
FORGIVING_KINDS = ("two typos", "layout", "size", "synonym")
KIND_RECALL_FLOOR = 0.9
PRECISION_FLOOR = 0.85
# Of the queries that should find nothing, the share that finds nothing.
NOTHING_ZERO_RESULT_FLOOR = 1.0
EXPECTED_TOP10 = Path(__file__).with_name("expected_top10.json")


class Catalog:
    """The demo catalog seen without the search engine: what each judgement means."""

    def __init__(self) -> None:
        self.products: dict[int, tuple[str, str, str, str]] = {}
        for summary in ProductOfferSummary.objects.filter(is_buyable=True).select_related(
            "product__category__parent"
        ):
            category = summary.product.category
            self.products[summary.product_id] = (
                summary.product.name_en,
                category.slug,
                category.parent.slug if category.parent else "",
                summary.product.name_ru,
            )
        self.attributes: dict[int, set[str]] = defaultdict(set)
        for product_id, value in AttributeValue.objects.values_list("product_id", "value_en"):
            self.attributes[product_id].add(value)

    def relevant(self, judged: Judged) -> set[str]:
        if judged.kind == NOTHING:
            return set()
        found = set()
        for product_id, (name, leaf, parent, _name_ru) in self.products.items():
            if judged.names and name not in judged.names:
                continue
            if judged.category and judged.category not in (leaf, parent):
                continue
            if judged.name_contains and judged.name_contains.lower() not in name.lower():
                continue
            if judged.name_contains_any and not any(
                fragment.lower() in name.lower() for fragment in judged.name_contains_any
            ):
                continue
            wanted = {judged.attribute, *judged.attributes} - {""}
            if not wanted <= self.attributes[product_id]:
                continue
            found.add(name)
        return found


@dataclass(frozen=True)
class Answer:
    top: list[str]
    total: int


def answer(query: str) -> Answer:
    listing = search_products(query=ProductQuery(text=query))
    top = [summary.product.name_en for summary in listing.page.object_list[:TOP]]
    return Answer(top=top, total=listing.total)


def recall_at_10(found: list[str], relevant: set[str]) -> float:
    return sum(1 for name in found if name in relevant) / min(TOP, len(relevant))


def ndcg_at_10(found: list[str], relevant: set[str]) -> float:
    gained = sum(1 / math.log2(rank + 2) for rank, name in enumerate(found) if name in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(TOP, len(relevant))))
    return gained / ideal


def precision_at_10(found: list[str], relevant: set[str]) -> float:
    if not found:
        return 0.0 if relevant else 1.0
    return sum(1 for name in found if name in relevant) / len(found)


@dataclass(frozen=True)
class Scored:
    judged: Judged
    recall: float | None
    ndcg: float | None
    precision: float
    zero: bool


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _figures(rows: list[Scored]) -> dict[str, float]:
    judged = [row for row in rows if row.recall is not None]
    figures = {
        "precision": _mean([row.precision for row in rows]),
        "zero": _mean([float(row.zero) for row in rows]),
    }
    if judged:
        figures["recall"] = _mean([row.recall or 0.0 for row in judged])
        figures["ndcg"] = _mean([row.ndcg or 0.0 for row in judged])
    return figures


def _line(label: str, rows: list[Scored]) -> str:
    figures = _figures(rows)
    ranked = (
        f"recall@10 {figures['recall']:.3f}  nDCG@10 {figures['ndcg']:.3f}  "
        if "recall" in figures
        else f"{'':<34}"
    )
    return (
        f"  {label:<22} {len(rows):>3} queries  {ranked}precision@10 "
        f"{figures['precision']:.3f}  zero results {figures['zero']:.3f}"
    )


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker) -> Iterator[Catalog]:
    """The deterministic demo catalog, indexed, for this module only: rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", products=DEMO_PRODUCTS, stdout=io.StringIO())
        rebuild_index()
        yield Catalog()
        transaction.set_rollback(True)


def _wanted(rows: list[Scored]) -> list[Scored]:
    return [row for row in rows if row.judged.kind != NOTHING]


def _assert_language_set(name: str, rows: list[Scored], tops: dict[str, list[str]]) -> None:
    """The Chinese and German sets: enough queries, the same floors as the base set, no
    empty answer where the catalog has the goods and nothing where it has not."""
    wanted = _wanted(rows)
    nothing = [row for row in rows if row.judged.kind == NOTHING]
    assert len(wanted) >= 15 and len(nothing) >= 6, name
    figures = _figures(wanted)
    assert figures["recall"] >= RECALL_FLOOR, (name, figures)
    assert figures["precision"] >= PRECISION_FLOOR, (name, figures)
    assert [row.judged.query for row in wanted if row.zero] == [], name
    assert [(row.judged.query, tops[row.judged.query]) for row in nothing if not row.zero] == []


def evaluate(catalog: Catalog) -> dict[str, list[str]]:
    """Print the figures, assert the floors, return every query's top 10."""
    rows: list[Scored] = []
    tops: dict[str, list[str]] = {}
    for judged in JUDGED_QUERIES:
        relevant = catalog.relevant(judged)
        assert relevant or judged.kind == NOTHING, (
            f"the judgement of {judged.query!r} names no buyable demo product"
        )
        found = answer(judged.query)
        tops[judged.query] = found.top
        rows.append(
            Scored(
                judged=judged,
                recall=recall_at_10(found.top, relevant) if relevant else None,
                ndcg=ndcg_at_10(found.top, relevant) if relevant else None,
                precision=precision_at_10(found.top, relevant),
                zero=found.total == 0,
            )
        )
    base = [row for row in rows if row.judged.set == "base"]
    print(f"\nsearch quality, {connection.vendor} backend, {len(base)} judged queries (base set):")
    wanted = [row for row in base if row.judged.kind != NOTHING]
    print(_line("with relevant products", wanted))
    print(_line("all", base))
    by_kind: dict[str, list[Scored]] = defaultdict(list)
    by_language: dict[str, list[Scored]] = defaultdict(list)
    for row in base:
        by_kind[row.judged.kind].append(row)
        by_language[f"{row.judged.kind} ({row.judged.language})"].append(row)
    for kind, kind_rows in sorted(by_kind.items()):
        print(_line(kind, kind_rows))
    for kind, kind_rows in sorted(by_language.items()):
        print(_line(kind, kind_rows))
    by_set: dict[str, list[Scored]] = defaultdict(list)
    for row in rows:
        by_set[row.judged.set].append(row)
    for name in SETS[1:]:
        print(f"the {name} set, {len(by_set[name])} judged queries:")
        print(_line("with relevant products", _wanted(by_set[name])))
        print(_line("all", by_set[name]))
        set_kinds: dict[str, list[Scored]] = defaultdict(list)
        for row in by_set[name]:
            set_kinds[row.judged.kind].append(row)
        for kind, kind_rows in sorted(set_kinds.items()):
            print(_line(kind, kind_rows))
    for row in rows:
        if (row.recall is not None and row.recall < 1) or row.precision < 1:
            print(
                f"  below 1: {row.judged.query!r} recall {row.recall} "
                f"precision {row.precision:.2f} zero {row.zero}"
            )
    overall = _figures(wanted)
    assert len(wanted) >= 60
    assert overall["recall"] >= RECALL_FLOOR, (
        f"recall@10 {overall['recall']:.3f} fell below {RECALL_FLOOR}"
    )
    assert overall["zero"] == 0, [row.judged.query for row in wanted if row.zero]
    assert _figures(base)["precision"] >= PRECISION_FLOOR
    for kind in FORGIVING_KINDS:
        figures = _figures(by_kind[kind])
        assert len(by_kind[kind]) >= 6, kind
        assert figures["recall"] >= KIND_RECALL_FLOOR, (kind, figures)
    nothing = _figures(by_kind[NOTHING])
    assert len(by_kind[NOTHING]) >= 10
    assert nothing["zero"] >= NOTHING_ZERO_RESULT_FLOOR, [
        (row.judged.query, tops[row.judged.query]) for row in by_kind[NOTHING] if not row.zero
    ]
    for name in SETS[1:]:
        _assert_language_set(name, by_set[name], tops)
    return tops


def test_judged_queries_on_sqlite(demo_catalog, db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backend's figures; PostgreSQL has its own test")

    tops = evaluate(demo_catalog)

    if os.environ.get("CARAVAN_WRITE_SEARCH_TOP10"):
        EXPECTED_TOP10.write_text(json.dumps(tops, ensure_ascii=False, indent=1) + "\n")
    assert tops == json.loads(EXPECTED_TOP10.read_text())


@pytest.mark.postgres
def test_judged_queries_on_postgresql_match_sqlite(demo_catalog, db):
    if connection.vendor != "postgresql":
        pytest.fail(
            "needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_test"
        )

    tops = evaluate(demo_catalog)

    expected = json.loads(EXPECTED_TOP10.read_text())
    differing = {
        query: (tops[query], expected[query]) for query in tops if tops[query] != expected[query]
    }
    assert differing == {}
