"""The search benchmark's catalog generator (bench/search_catalog.py) at a tiny scale."""

from __future__ import annotations

import random
from collections import Counter

from bench.search_catalog import (
    build_index,
    catalog_events_held,
    create_reference_data,
    load_catalog,
)
from bench.search_catalog_plan import CatalogPlanner, plan_offer_counts, plan_sellers
from bench.search_queries import query_mix

from caravan.catalog.models import Category, Product, Variant
from caravan.fx.models import ExchangeRate
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.search.models import SearchDocument
from caravan.search.selectors import ProductQuery, list_products
from caravan.sellers.models import Seller
from caravan.shipping.models import ShippingMethod


def _generate(*, products: int, offers: int, sellers: int) -> None:
    rng = random.Random(5)
    with catalog_events_held():
        reference = create_reference_data(rng, sellers=sellers)
        load_catalog(rng, reference, products=products, offers=offers, per_transaction=25)
        build_index()


def test_the_catalog_has_exactly_the_rows_asked_for(db):
    _generate(products=60, offers=200, sellers=30)

    assert Product.objects.count() == 60
    assert Offer.objects.count() == 200
    assert Seller.objects.filter(status=Seller.Status.ACTIVE).count() == 30
    assert Category.objects.filter(parent__isnull=True).count() == 15
    assert Category.objects.filter(parent__isnull=False).count() == 120
    # One offer per seller and variant, as the unique constraint demands.
    assert Offer.objects.values("seller_id", "variant_id").distinct().count() == 200
    # Every product has a variant and an offer; every seller a delivery option.
    assert Variant.objects.values("product_id").distinct().count() == 60
    assert Offer.objects.values("product_id").distinct().count() == 60
    methods = Counter(ShippingMethod.objects.values_list("seller_id", flat=True))
    assert len(methods) == 30
    assert all(1 <= count <= 3 for count in methods.values())
    currencies = set(Seller.objects.values_list("currency", flat=True)) - {"RUB"}
    assert set(ExchangeRate.objects.values_list("base", flat=True)) == currencies


def test_every_product_gets_a_listing_row_and_a_search_document(db):
    _generate(products=60, offers=200, sellers=30)

    assert ProductOfferSummary.objects.count() == 60
    assert SearchDocument.objects.count() == 60
    # A rouble offer's reference price is its price.
    rouble = Offer.objects.filter(currency="RUB").first()
    assert rouble is not None
    assert rouble.reference_price_amount == rouble.price_amount


def test_a_product_is_found_by_its_russian_name(db):
    _generate(products=60, offers=200, sellers=30)
    summary = ProductOfferSummary.objects.filter(is_buyable=True).order_by("product_id").first()
    assert summary is not None
    name = Product.objects.get(id=summary.product_id).name_ru

    listing = list_products(query=ProductQuery(text=name))

    assert summary.product_id in [card.product_id for card in listing.page.object_list]


def test_the_plan_is_the_same_for_the_same_seed():
    def plan(seed: int) -> tuple[list, list]:
        rng = random.Random(seed)
        sellers = plan_sellers(rng, 20)
        counts = plan_offer_counts(rng, products=40, offers=150)
        planner = CatalogPlanner(rng=rng, sellers=sellers)
        return sellers, [planner.product(count) for count in counts]

    first, second = plan(3), plan(3)

    assert first == second
    assert [product.name_en for product in first[1]] != [product.name_en for product in plan(4)[1]]


def test_offer_counts_add_up_and_every_product_has_one():
    counts = plan_offer_counts(random.Random(1), products=1000, offers=3300)

    assert sum(counts) == 3300
    assert min(counts) == 1
    assert 0.3 < counts.count(1) / 1000 < 0.7


def test_the_query_mix_has_every_class_and_forty_queries_or_more():
    mix = query_mix()

    assert len(mix) == len(set(mix))
    assert len(mix) >= 40
    assert Counter(query.kind for query in mix).keys() == {
        "one word",
        "words",
        "facets",
        "typo",
        "translit",
    }
