"""Facet counts against a brute-force count from the offers themselves.

The brute force never reads facet keys or listing rows' derived columns: it takes every
product the text matches, works out from Offer, Seller, ShippingMethod, AttributeValue and
Category rows what could be bought of it, and counts, per facet value, the products that
pass every other selected filter and hold the value."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from tests.factories import (
    build_market,
    default_rates,
    make_category,
    make_offer,
    make_product,
    make_seller,
    project,
    set_clock,
)

from caravan.catalog.models import AttributeValue, Category, Product
from caravan.catalog.services import (
    AttributeInput,
    ProductInput,
    VariantInput,
    create_product,
    ensure_attribute,
)
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.services import create_offer
from caravan.search.facets import DELIVERY_WITHIN, _price_ranges, nice_edges
from caravan.search.selectors import ProductQuery, Sort, list_products
from caravan.shipping.models import ShippingMethod
from caravan.shipping.services import create_shipping_method
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of

COLOURS = ("Black", "White", "Red", "Blue")
SIZES = ("40", "41", "42", "43")


@pytest.fixture
def bazaar(db, monkeypatch):
    """60 products in four leaf categories under two parents, five sellers in four
    countries with different delivery speeds, random conditions, stock and sizes."""
    # A Monday morning everywhere from Berlin to Shenzhen: delivery days then count alike
    # in every warehouse's time zone (the rows are projected now).
    set_clock(monkeypatch, at=datetime(2026, 12, 7, 3, 0, tzinfo=UTC))
    rng = random.Random(7)
    default_rates()
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    ensure_attribute(code="size", name_ru="Размер", name_en="Size")
    sellers = [
        make_seller(name="Moscow Goods", country="RU", currency="RUB"),
        make_seller(name="Kazan Shoes", country="RU", currency="RUB"),
        make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25"),
        make_seller(name="Berlin Haus", country="DE", currency="EUR", delivery_price="9"),
        make_seller(name="Istanbul Bazaar", country="TR", currency="TRY", delivery_price="90"),
    ]
    # A second, faster and dearer option for two sellers: the promise is the cheapest's.
    for seller, days in ((sellers[0], 1), (sellers[2], 20)):
        create_shipping_method(
            seller=seller,
            name_ru="Экспресс",
            name_en="Express",
            carrier="Fast",
            price=Money("500" if seller.currency == "RUB" else "60", seller.currency),
            transit_days_min=days,
            transit_days_max=days,
        )
    shoes = make_category(slug="shoes")
    home = make_category(slug="home")
    leaves = [
        make_category(slug="sneakers", parent=shoes),
        make_category(slug="boots", parent=shoes),
        make_category(slug="lamps", parent=home),
        make_category(slug="rugs", parent=home),
    ]
    prices = {"RUB": (300, 9000), "CNY": (20, 700), "EUR": (5, 90), "TRY": (100, 3000)}
    for number in range(60):
        colour = COLOURS[number % len(COLOURS)]
        sizes = rng.sample(SIZES, rng.randint(1, 3))
        product = create_product(
            data=ProductInput(
                category=leaves[number % len(leaves)],
                name_ru=f"Товар для дома и бега {number}",
                name_en=f"Running home goods {number}",
                brand="Acme",
                description_ru="",
                description_en="",
                specs=[AttributeInput("colour", colour, colour)],
                variants=[VariantInput(options=[AttributeInput("size", s, s)]) for s in sizes],
            )
        )
        for variant in product.variants.all():
            for seller in rng.sample(sellers, rng.randint(0, 2)):
                low, high = prices[seller.currency]
                create_offer(
                    seller=seller,
                    variant=variant,
                    price=Money(str(rng.randint(low, high)), seller.currency),
                    stock_quantity=rng.choice([0, 1, 5, 30]),
                    handling_days=rng.randint(0, 4),
                    condition=rng.choice(["new", "new", "used", "refurbished"]),
                )
    project(*Product.objects.values_list("id", flat=True))
    return sellers


@dataclass(frozen=True)
class Buyable:
    """What the brute force knows of one product."""

    categories: set[int]
    countries: set[str]
    sellers: set[int]
    conditions: set[str]
    attributes: set[str]
    price: Decimal
    days: int


def brute_force_products() -> dict[int, Buyable]:
    parents = dict(Category.objects.values_list("id", "parent_id"))
    # Each seller's cheapest active method's transit (the cart's default; ties: faster).
    cheapest: dict[int, tuple[Decimal, int]] = {}
    for flat in ShippingMethod.objects.filter(is_active=True):
        offer = (flat.price_amount, flat.transit_days_max)
        cheapest[flat.seller_id] = min(cheapest.get(flat.seller_id, offer), offer)
    transit = {seller_id: days for seller_id, (_price, days) in cheapest.items()}
    found: dict[int, Buyable] = {}
    for product in Product.objects.all():
        offers = [
            offer
            for offer in Offer.objects.filter(product=product, is_active=True).select_related(
                "seller"
            )
            if offer.stock_quantity >= max(1, offer.min_order_quantity)
            and offer.seller.status == "active"
            and offer.seller_id in transit
        ]
        if not offers or not product.is_visible:
            continue
        categories, current = set(), product.category_id
        while current is not None:
            categories.add(current)
            current = parents[current]
        variants = {offer.variant_id for offer in offers}
        attributes = {
            f"{value.attribute.code}:{value.value_en.lower()}"
            for value in AttributeValue.objects.filter(product=product).select_related("attribute")
            if value.variant_id is None or value.variant_id in variants
        }
        found[product.id] = Buyable(
            categories=categories,
            countries={offer.ships_from for offer in offers},
            sellers={offer.seller_id for offer in offers},
            conditions={offer.condition for offer in offers},
            attributes=attributes,
            # The card's price: the buy box winner's (ADR 0003), read from the service.
            price=product.offer_summary.min_reference_price_amount,
            days=min(offer.handling_days + transit[offer.seller_id] for offer in offers),
        )
    return found


def passes(item: Buyable, query: ProductQuery, *, skip: str = "") -> bool:
    checks: dict[str, Callable[[], bool]] = {
        "category": lambda: query.category is None or query.category in item.categories,
        "price": lambda: (
            (query.price_min is None or item.price >= query.price_min)
            and (query.price_max is None or item.price <= query.price_max)
        ),
        "ships_from": lambda: not query.ships_from or bool(item.countries & set(query.ships_from)),
        "seller": lambda: not query.sellers or bool(item.sellers & set(query.sellers)),
        "condition": lambda: not query.conditions or bool(item.conditions & set(query.conditions)),
        "delivery": lambda: query.delivery_within is None or item.days <= query.delivery_within,
    }
    codes = {value.partition(":")[0] for value in query.attributes}
    for code in codes:
        wanted = {value for value in query.attributes if value.startswith(f"{code}:")}
        checks[f"attribute:{code}"] = lambda wanted=wanted: bool(item.attributes & wanted)
    return all(check() for name, check in checks.items() if name != skip)


def expected_counts(products: dict[int, Buyable], query: ProductQuery) -> dict[str, object]:
    def count(skip: str, holds: Callable[[Buyable], bool]) -> int:
        return sum(
            1 for item in products.values() if passes(item, query, skip=skip) and holds(item)
        )

    categories = {c for item in products.values() for c in item.categories}
    countries = {c for item in products.values() for c in item.countries}
    sellers = {s for item in products.values() for s in item.sellers}
    conditions = {c for item in products.values() for c in item.conditions}
    attributes = {a for item in products.values() for a in item.attributes}
    counted = {
        "total": count("", lambda item: True),
        "categories": {
            c: count("category", lambda item, c=c: c in item.categories) for c in categories
        },
        "ships_from": {
            c: count("ships_from", lambda item, c=c: c in item.countries) for c in countries
        },
        "sellers": {s: count("seller", lambda item, s=s: s in item.sellers) for s in sellers},
        "conditions": {
            c: count("condition", lambda item, c=c: c in item.conditions) for c in conditions
        },
        "delivery": {
            within: count("delivery", lambda item, w=within: item.days <= w)
            for within in DELIVERY_WITHIN
        },
        "attributes": {
            a: count(f"attribute:{a.partition(':')[0]}", lambda item, a=a: a in item.attributes)
            for a in attributes
        },
    }
    return {
        key: {k: v for k, v in value.items() if v}
        if isinstance(value, dict) and key != "delivery"
        else value
        for key, value in counted.items()
    }


def actual_counts(query: ProductQuery) -> tuple[dict[str, object], list[int]]:
    listing = list_products(query=replace(query, sort=Sort.PRICE_ASC), facets=True)
    facets = listing.facets
    assert facets is not None
    attributes = {
        value.value: value.count for values in facets.attributes.values() for value in values
    }
    ids = sorted(listing.matching.values_list("product_id", flat=True))
    return (
        {
            "total": facets.total,
            "categories": facets.categories,
            "ships_from": facets.ships_from,
            "sellers": facets.sellers,
            "conditions": facets.conditions,
            "delivery": facets.delivery,
            "attributes": attributes,
        },
        ids,
    )


def queries(sellers) -> list[ProductQuery]:
    shoes = Category.objects.get(slug="shoes").id
    lamps = Category.objects.get(slug="lamps").id
    return [
        ProductQuery(),
        ProductQuery(text="running"),
        ProductQuery(ships_from=("CN",)),
        ProductQuery(ships_from=("CN", "DE"), conditions=("used",)),
        ProductQuery(category=shoes, attributes=("size:42",)),
        ProductQuery(category=shoes, attributes=("size:42", "size:43", "colour:red")),
        ProductQuery(sellers=(sellers[0].id, sellers[3].id), delivery_within=7),
        ProductQuery(price_min=Decimal("1000"), price_max=Decimal("5000"), category=lamps),
        ProductQuery(
            text="товар",
            ships_from=("RU",),
            conditions=("new", "refurbished"),
            delivery_within=14,
            attributes=("colour:black", "colour:white"),
            price_max=Decimal("6000"),
        ),
        ProductQuery(ships_from=("TR",), sellers=(sellers[1].id,)),  # nothing passes both
    ]


def test_facet_counts_equal_a_brute_force_count_for_every_query(bazaar):
    # Given a varied market and the buyable products worked out from the offers
    products = brute_force_products()
    assert 20 < len(products) < 60
    for query in queries(bazaar):
        # When the facets of the query are counted
        actual, ids = actual_counts(query)
        # Then every count is what the brute force counts, and the listing holds exactly
        # the products that pass every filter
        expected = expected_counts(products, query)
        # (an attribute with one value among the results narrows nothing and is not shown)
        shown = {value.partition(":")[0] for value in actual["attributes"]}
        expected_attributes = expected["attributes"]
        codes = {value.partition(":")[0] for value in expected_attributes}
        for code in codes - shown:
            assert len([v for v in expected_attributes if v.startswith(f"{code}:")]) == 1
        expected["attributes"] = {
            value: count
            for value, count in expected_attributes.items()
            if value.partition(":")[0] in shown
        }
        assert actual == expected, query
        assert ids == sorted(pid for pid, item in products.items() if passes(item, query)), query


def test_facet_counts_follow_a_stock_change(bazaar):
    # Given the products shipping from Germany
    query = ProductQuery(ships_from=("DE",))
    before = list_products(query=query, facets=True).facets
    assert before is not None and before.ships_from["DE"] > 0
    german = Offer.objects.filter(ships_from="DE", stock_quantity__gt=0)
    touched = sorted(set(german.values_list("product_id", flat=True)))
    # When the German seller sells out of everything
    german.update(stock_quantity=0)
    project(*touched)
    # Then Germany is gone from the counts and from the results
    after = list_products(query=query, facets=True)
    assert after.facets is not None and "DE" not in after.facets.ships_from
    assert after.total == 0
    assert after.facets.total == 0


@pytest.mark.parametrize("text", ["", "товар"])
def test_price_ranges_are_in_the_buyer_currency_and_set_filters_that_agree(bazaar, text):
    # Given the whole shelf (or a text query's matches) priced in euros (1 EUR = 100 RUB)
    listing = list_products(query=ProductQuery(text=text, currency="EUR"), facets=True)
    assert listing.currency == "EUR" and listing.facets is not None
    ranges = listing.facets.prices
    # Then the ranges cover every product once
    assert sum(count for _low, _high, count in ranges) == listing.total
    # And choosing a range lists exactly its count (the upper bound is exclusive in the
    # facet; the filter's upper bound is inclusive, so it is taken just below)
    for low, high, count in ranges:
        chosen = ProductQuery(
            text=text,
            currency="EUR",
            price_min=low,
            price_max=(high - Decimal("0.000001")) if high is not None else None,
        )
        assert list_products(query=chosen).total == count


def test_nice_edges_round_quantiles_to_readable_figures():
    # Given prices spread from 100 to 10 000
    prices = [Decimal(value) for value in range(100, 10_001, 100)]
    # When edges are chosen
    # Then they are round figures near the quintiles (2 100, 4 100, 6 100, 8 100)
    assert nice_edges(prices) == [Decimal(2000), Decimal(4000), Decimal(6000), Decimal(7500)]


def test_an_unknown_currency_falls_back_to_the_marketplace_currency(bazaar):
    listing = list_products(query=ProductQuery(currency="XXX"), facets=True)
    assert listing.currency == "RUB"


def test_a_card_shows_the_best_offer_that_matches_the_offer_filters(db):
    # Given headphones sold cheaper from China (150 CNY = 1 875 RUB) than from Russia
    market = build_market()
    # When the buyer asks for goods shipped from Russia
    listing = list_products(query=ProductQuery(ships_from=("RU",)), facets=True)
    # Then the card shows the Russian offer, not the overall cheapest
    assert [summary.best_offer for summary in listing.page.object_list] == [market.offer_ru]
    # And without the filter it shows the buy box winner
    plain = list_products(query=ProductQuery())
    assert [summary.best_offer for summary in plain.page.object_list] == [market.offer_cn]


def test_a_filtered_card_weighs_delivery_among_many_matching_offers(db):
    # Given a product offered from Russia by eight sellers: the cheapest price carries a
    # 5 000 RUB delivery, the landed winner (1 100 + 100) is the fourth cheapest price
    default_rates()
    product = make_product(category=make_category(), name_en="Kettle", name_ru="Чайник")
    variant = product.variants.get()
    prices_and_delivery = [
        ("1000", "5000"),
        ("1050", "5000"),
        ("1080", "4000"),
        ("1100", "100"),
        ("1150", "200"),
        ("1300", "0"),
        ("2500", "0"),
        ("9000", "0"),
    ]
    offers = [
        make_offer(
            seller=make_seller(country="RU", currency="RUB", delivery_price=delivery),
            variant=variant,
            price=price,
            stock=5,
        )
        for price, delivery in prices_and_delivery
    ]
    # When the buyer asks for goods shipped from Russia
    listing = list_products(query=ProductQuery(ships_from=("RU",)), facets=True)
    # Then the card shows the offer with the lowest price including delivery
    assert [summary.best_offer for summary in listing.page.object_list] == [offers[3]]


def test_the_ships_to_filter_keeps_what_is_delivered_to_the_country(db):
    # Given felt boots sold only by a seller delivering within Russia, and a kettle sold
    # by one delivering anywhere
    default_rates()
    local = make_seller(name="Local", delivery_price=None)
    profile = moscow_profile(local)
    rate(local, method(local, profile), zones_of(local, profile).russia, [(None, "100")])
    boots = make_offer(seller=local, variant=make_product(name_en="Felt boots").variants.get())
    kettle = make_offer(seller=make_seller(), variant=make_product(name_en="Kettle").variants.get())
    # When a buyer in Germany asks for what ships to Germany, and a buyer in Russia to Russia
    germany = list_products(query=ProductQuery(ships_to=("DE",), country="DE"), facets=True)
    russia = list_products(query=ProductQuery(ships_to=("RU",), country="RU"), facets=True)
    # Then Germany lists the kettle only, Russia both, and the counts say so
    assert [summary.product_id for summary in germany.page.object_list] == [kettle.product_id]
    assert {summary.product_id for summary in russia.page.object_list} == {
        boots.product_id,
        kettle.product_id,
    }
    assert (germany.facets.ships_to["DE"], germany.facets.ships_to["RU"]) == (1, 2)


def test_one_price_makes_no_price_range():
    # given a single matching price, no edge can split it
    prices = [Decimal("4231.54")]

    # when ranges are counted
    ranges = _price_ranges(prices, nice_edges(prices))

    # then no range is offered (an unbounded one would look like a chosen filter)
    assert ranges == []
