"""quote_methods: zones, weight bands, volumetric weight, price basis, free delivery."""

from datetime import UTC, datetime

import pytest
from tests.factories import make_seller

from caravan.kernel.money import Money
from caravan.shipping.models import ProfileMethod
from caravan.shipping.quotes import (
    Destination,
    SellerParcel,
    load_tables,
    quote_methods,
    quote_sellers,
    ships_to,
)

from .profile_helpers import item, method, moscow_profile, rate, rub, zones_of

pytestmark = pytest.mark.django_db

PLACED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday


def zone_world():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    for zone, price in (
        (zones.kaliningrad, "900"),
        (zones.russia, "300"),
        (zones.eaeu, "600"),
        (zones.europe, "1500"),
        (zones.world, "2500"),
    ):
        rate(seller, courier, zone, [(None, price)])
    return seller, zones


@pytest.mark.parametrize(
    ("country", "region", "zone_name", "price"),
    [
        ("RU", "RU-KGD", "Kaliningrad", "900"),
        ("RU", "RU-MOW", "Russia", "300"),
        ("RU", "", "Russia", "300"),
        ("KZ", "", "EAEU", "600"),
        ("AM", "", "EAEU", "600"),
        ("DE", "", "EU", "1500"),
        ("US", "", "World", "2500"),
        ("CN", "CN-GD", "World", "2500"),
    ],
)
def test_the_most_specific_zone_prices_the_destination(country, region, zone_name, price):
    seller, _zones = zone_world()

    quote = quote_methods(
        seller=seller,
        lines=[item(500)],
        destination=Destination(country=country, region=region),
        placed_at=PLACED,
    )

    assert [(option.zone.name, option.price) for option in quote.options] == [
        (zone_name, rub(price))
    ]


def test_a_destination_outside_every_zone_is_refused_by_name():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.russia, [(None, "300")])

    quote = quote_methods(
        seller=seller,
        lines=[item(500)],
        destination=Destination(country="US"),
        placed_at=PLACED,
    )

    assert (quote.ships, quote.refusal_code, quote.refusal) == (
        False,
        "does_not_ship",
        "Does not ship to United States",
    )


def test_a_method_without_a_rate_in_the_zone_is_not_offered_there():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    post = method(seller, profile, "Post")
    express = method(seller, profile, "Express")
    rate(seller, post, zones.russia, [(None, "300")])
    rate(seller, post, zones.kaliningrad, [(None, "500")])
    rate(seller, express, zones.russia, [(None, "800")])

    kaliningrad = quote_methods(
        seller=seller,
        lines=[item(500)],
        destination=Destination(country="RU", region="RU-KGD"),
        placed_at=PLACED,
    )
    moscow = quote_methods(
        seller=seller, lines=[item(500)], destination=Destination(country="RU"), placed_at=PLACED
    )

    assert [option.method.name_en for option in kaliningrad.options] == ["Post"]
    assert [option.method.name_en for option in moscow.options] == ["Post", "Express"]


def test_a_seller_without_a_profile_ships_nowhere():
    seller = make_seller(currency="RUB", delivery_price=None)

    quote = quote_methods(
        seller=seller, lines=[item(500)], destination=Destination(country="RU"), placed_at=PLACED
    )

    assert (quote.options, quote.refusal_code) == ([], "no_profile")
    assert ships_to(seller, "RU") is False


BANDS = [(500, "300"), (1000, "450"), (2000, "700")]


def banded_seller(*, basis=ProfileMethod.Basis.PER_ORDER, divisor=None, threshold=None):
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(
        seller, profile, basis=basis, volumetric_divisor=divisor, free_threshold=threshold
    )
    rate(seller, courier, zones.russia, BANDS)
    return seller


def quote_one(seller, *lines):
    return quote_methods(
        seller=seller, lines=list(lines), destination=Destination(country="RU"), placed_at=PLACED
    )


@pytest.mark.parametrize(
    ("grams", "price"),
    [
        (1, "300"),
        (499, "300"),
        (500, "300"),
        (501, "450"),
        (999, "450"),
        (1000, "450"),
        (1001, "700"),
        (2000, "700"),
    ],
)
def test_the_weight_band_includes_its_upper_bound(grams, price):
    seller = banded_seller()

    quote = quote_one(seller, item(grams))

    assert [(option.price, option.chargeable_grams) for option in quote.options] == [
        (rub(price), grams)
    ]


def test_a_parcel_above_the_last_bound_is_too_heavy():
    seller = banded_seller()

    quote = quote_one(seller, item(2001))

    assert (quote.options, quote.refusal_code) == ([], "too_heavy")


def test_a_parcel_without_a_weight_is_refused_when_bands_need_it():
    seller = banded_seller()

    quote = quote_one(seller, item(400), item(None))

    assert (quote.options, quote.refusal_code) == ([], "weight_missing")


def test_an_open_band_alone_needs_no_weight():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    rate(seller, method(seller, profile), zones.russia, [(None, "350")])

    quote = quote_one(seller, item(None, quantity=3))

    assert [(option.price, option.chargeable_grams) for option in quote.options] == [
        (rub("350"), None)
    ]


@pytest.mark.parametrize(
    ("grams", "size", "divisor", "chargeable", "price"),
    [
        # 300 x 200 x 100 mm = 6000 cm3; / 5000 = 1.2 kg
        (800, (300, 200, 100), 5000, 1200, "700"),
        (1500, (300, 200, 100), 5000, 1500, "700"),
        (1200, (300, 200, 100), 5000, 1200, "700"),
        # the same box on a 6000 divisor weighs 1 kg: the band at its bound
        (800, (300, 200, 100), 6000, 1000, "450"),
        # no divisor: the carrier bills actual weight
        (800, (300, 200, 100), None, 800, "450"),
        # no size: actual weight
        (800, None, 5000, 800, "450"),
        # 101 x 100 x 100 mm / 5000 = 202 g, rounded up
        (150, (101, 100, 99), 5000, 200, "300"),
    ],
)
def test_volumetric_weight_counts_when_larger(grams, size, divisor, chargeable, price):
    seller = banded_seller(divisor=divisor)

    quote = quote_one(seller, item(grams, size=size))

    assert [(option.chargeable_grams, option.price) for option in quote.options] == [
        (chargeable, rub(price))
    ]


def test_per_order_prices_the_whole_parcel_weight():
    seller = banded_seller(basis=ProfileMethod.Basis.PER_ORDER)

    quote = quote_one(seller, item(400, quantity=3))

    assert [(option.chargeable_grams, option.price) for option in quote.options] == [
        (1200, rub("700"))
    ]


def test_per_item_prices_each_unit_by_its_own_weight():
    seller = banded_seller(basis=ProfileMethod.Basis.PER_ITEM)

    quote = quote_one(seller, item(400, quantity=3), item(600))

    assert [(option.chargeable_grams, option.price) for option in quote.options] == [
        (1800, rub("1350"))
    ]


@pytest.mark.parametrize(
    ("goods", "price", "is_free"),
    [
        ("4999.99", "300", False),
        ("5000", "0", True),
        ("5000.01", "0", True),
    ],
)
def test_free_delivery_from_the_threshold_inclusive(goods, price, is_free):
    seller = banded_seller(threshold=rub("5000"))

    quote = quote_one(seller, item(300, price=goods))

    assert [(option.price, option.is_free) for option in quote.options] == [(rub(price), is_free)]


def test_options_come_cheapest_first():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    rate(seller, method(seller, profile, "Express"), zones.europe, [(None, "2400")], (3, 5))
    rate(seller, method(seller, profile, "Post"), zones.europe, [(None, "900")], (10, 20))

    quote = quote_methods(
        seller=seller, lines=[item(500)], destination=Destination(country="DE"), placed_at=PLACED
    )

    assert [(option.method.name_en, option.price) for option in quote.options] == [
        ("Post", Money("900", "RUB")),
        ("Express", Money("2400", "RUB")),
    ]


@pytest.mark.parametrize(
    ("country", "region", "expected"),
    [("RU", "", True), ("RU", "RU-KGD", False), ("DE", "", True), ("US", "", False)],
)
def test_ships_to_answers_for_a_seller_and_for_an_offer(country, region, expected):
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.russia, [(None, "300")])
    rate(seller, courier, zones.europe, [(None, "1500")])

    class OfferLike:
        seller_id = seller.id

    assert ships_to(seller, country, region) is expected
    assert ships_to(OfferLike(), country, region) is expected


def test_an_inactive_method_neither_quotes_nor_ships():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    rate(seller, method(seller, profile, is_active=False), zones.russia, [(None, "300")])

    quote = quote_one(seller, item(500))

    assert (quote.options, quote.refusal_code, ships_to(seller, "RU")) == (
        [],
        "does_not_ship",
        False,
    )


def test_tables_reused_for_later_quotes_date_each_from_its_own_moment_and_destination():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    rate(seller, method(seller, profile), zones.europe, [(None, "900")], (3, 5))
    to_berlin = Destination(country="DE")
    tables = load_tables(seller_ids={seller.id}, destination=to_berlin)
    parcel = SellerParcel(seller_id=seller.id, currency="RUB", lines=[item(500)])

    def quote(placed_at, destination=to_berlin):
        return quote_sellers(
            parcels={1: parcel},
            destination=destination,
            placed_at=placed_at,
            tables=lambda **_: tables,
        )[1]

    monday = quote(PLACED)
    again = quote(PLACED)
    # Friday 22:00 in Moscow, then the same instant for a buyer eleven hours behind UTC.
    friday = quote(datetime(2026, 12, 11, 19, 0, tzinfo=UTC))
    far_west = Destination(country="DE", timezone="Pacific/Pago_Pago")
    behind = quote(datetime(2026, 12, 11, 19, 0, tzinfo=UTC), far_west)

    def fresh(placed_at, destination):
        """The same quote with tables loaded for it alone (nothing reused)."""
        return (
            quote_methods(
                seller=seller, lines=[item(500)], destination=destination, placed_at=placed_at
            )
            .options[0]
            .dates
        )

    friday_evening = datetime(2026, 12, 11, 19, 0, tzinfo=UTC)
    assert again == monday
    assert [option.price for option in friday.options] == [Money("900", "RUB")]
    assert friday.options[0].dates == fresh(friday_evening, to_berlin)
    assert friday.options[0].dates != monday.options[0].dates
    assert behind.options[0].dates == fresh(friday_evening, far_west)
    assert behind.options[0].dates.latest != friday.options[0].dates.latest
