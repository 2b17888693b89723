"""Search quality on the judged query set, per backend, and the backends' parity.

recall@10: the share of a query's relevant products found in its top 10, out of at most
ten (a query with 19 relevant products is perfect when its top 10 are all relevant).
nDCG@10: the same with binary gains, discounted by rank. Both are averaged over the
queries. The top 10 of every query is also compared with tests/search/expected_top10.json,
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
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from caravan.catalog.models import AttributeValue
from caravan.offers.models import ProductOfferSummary
from caravan.search.selectors import ProductQuery, list_products
from caravan.search.services import rebuild_index

from .judged_queries import JUDGED_QUERIES, Judged

DEMO_PRODUCTS = 320
TOP = 10
RECALL_FLOOR = 0.9
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
        found = set()
        for product_id, (name, leaf, parent, _name_ru) in self.products.items():
            if judged.names and name not in judged.names:
                continue
            if judged.category and judged.category not in (leaf, parent):
                continue
            if judged.name_contains and judged.name_contains.lower() not in name.lower():
                continue
            if judged.attribute and judged.attribute not in self.attributes[product_id]:
                continue
            found.add(name)
        return found


def top_names(query: str) -> list[str]:
    listing = list_products(query=ProductQuery(text=query))
    return [summary.product.name_en for summary in listing.page.object_list[:TOP]]


def recall_at_10(found: list[str], relevant: set[str]) -> float:
    return sum(1 for name in found if name in relevant) / min(TOP, len(relevant))


def ndcg_at_10(found: list[str], relevant: set[str]) -> float:
    gained = sum(1 / math.log2(rank + 2) for rank, name in enumerate(found) if name in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(TOP, len(relevant))))
    return gained / ideal


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker) -> Iterator[Catalog]:
    """The deterministic demo catalog, indexed, for this module only: rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", products=DEMO_PRODUCTS, stdout=io.StringIO())
        rebuild_index()
        yield Catalog()
        transaction.set_rollback(True)


def evaluate(catalog: Catalog) -> dict[str, list[str]]:
    """Print the figures, assert the floor, return every query's top 10."""
    rows = []
    tops: dict[str, list[str]] = {}
    for judged in JUDGED_QUERIES:
        relevant = catalog.relevant(judged)
        assert relevant, f"the judgement of {judged.query!r} names no buyable demo product"
        found = top_names(judged.query)
        tops[judged.query] = found
        rows.append((judged, recall_at_10(found, relevant), ndcg_at_10(found, relevant)))
    recall = sum(row[1] for row in rows) / len(rows)
    ndcg = sum(row[2] for row in rows) / len(rows)
    print(f"\nsearch quality, {connection.vendor} backend, {len(rows)} judged queries:")
    print(f"  recall@10 {recall:.3f}  nDCG@10 {ndcg:.3f}")
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for judged, query_recall, query_ndcg in rows:
        by_kind[f"{judged.kind} ({judged.language})"].append((query_recall, query_ndcg))
    for kind, figures in sorted(by_kind.items()):
        print(
            f"  {kind:<22} {len(figures):>3} queries  recall@10 "
            f"{sum(figure[0] for figure in figures) / len(figures):.3f}  nDCG@10 "
            f"{sum(figure[1] for figure in figures) / len(figures):.3f}"
        )
    for judged, query_recall, query_ndcg in rows:
        if query_recall < 1:
            print(f"  below 1: {judged.query!r} recall {query_recall:.2f} nDCG {query_ndcg:.2f}")
    assert len(rows) >= 60
    assert recall >= RECALL_FLOOR, f"recall@10 {recall:.3f} fell below {RECALL_FLOOR}"
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
