"""Checkout quoting by the shipping engine (ADR 0012): every method that reaches the buyer's
destination per seller, the buyer's choice or the cheapest, priced in the buyer's currency,
and the seller order recording the method, its price in both currencies and its dates."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from tests.factories import (
    fill_cart,
    make_address_abroad,
    make_offer,
    make_product,
    make_seller,
    set_clock,
)

from caravan.cart.selectors import build_cart_view
from caravan.cart.services import choose_delivery, place_order
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.orders.models import Order, SellerOrder
from caravan.shipping.quotes import Destination, ParcelLine, delivery_promise, quote_methods
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 12:00 in Moscow.
MONDAY_NOON_MOSCOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def zoned(market, monkeypatch):
    """A Moscow seller pricing Russia, the EU and nowhere else; Post is cheap and slow,
    Courier dear and fast; an 800 g product."""
    set_clock(monkeypatch, at=MONDAY_NOON_MOSCOW)
    seller = make_seller(name="Kazan Crafts", country="RU", currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    post = method(seller, profile, "Post")
    courier = method(seller, profile, "Courier")
    rate(seller, post, zones.russia, [(1000, "200"), (None, "400")], transit=(5, 9))
    rate(seller, post, zones.europe, [(1000, "900"), (None, "1500")], transit=(10, 20))
    rate(seller, courier, zones.russia, [(None, "700")], transit=(1, 2))
    product = make_product(name_en="Felt boots")
    variant = product.variants.get()
    variant.net_weight_grams = 800
    variant.save(update_fields=["net_weight_grams"])
    offer = make_offer(seller=seller, variant=variant, price="3000", stock=10)
    return seller, post, courier, offer


def test_checkout_quotes_every_method_reaching_the_destination_cheapest_first(market, zoned):
    _seller, post, courier, offer = zoned
    cart = fill_cart(user=market.buyer, lines=[(offer, 1)])

    russia = build_cart_view(cart=cart, destination=Destination(country="RU")).groups[0]
    germany = build_cart_view(cart=cart, destination=Destination(country="DE")).groups[0]

    assert [(o.method, o.price) for o in russia.shipping.options] == [
        (post, Money("200", "RUB")),
        (courier, Money("700", "RUB")),
    ]
    assert (russia.method, russia.delivery) == (post, Money("200.00", "RUB"))
    # Post: dispatch Tuesday the 8th, 5-9 days; courier (not offered in the EU): 1-2 days.
    assert (russia.promise.earliest, russia.promise.latest) == (
        date(2026, 12, 13),
        date(2026, 12, 17),
    )
    assert [(o.method, o.price) for o in germany.shipping.options] == [(post, Money("900", "RUB"))]
    # Berlin reads the same dates: the handover is at noon Moscow time.
    assert (germany.promise.earliest, germany.promise.latest) == (
        date(2026, 12, 18),
        date(2026, 12, 28),
    )


def test_the_weight_of_the_whole_parcel_picks_the_band(market, zoned):
    _seller, _post, _courier, offer = zoned
    cart = fill_cart(user=market.buyer, lines=[(offer, 2)])  # 1600 g

    group = build_cart_view(cart=cart, destination=Destination(country="RU")).groups[0]

    assert group.delivery == Money("400.00", "RUB")
    assert group.option.chargeable_grams == 1600


def test_the_chosen_method_is_kept_while_it_reaches_the_destination(market, zoned):
    seller, post, courier, offer = zoned
    cart = fill_cart(user=market.buyer, lines=[(offer, 1)])
    choose_delivery(cart=cart, seller_id=seller.id, method_id=courier.id)

    in_russia = build_cart_view(cart=cart, destination=Destination(country="RU")).groups[0]
    in_germany = build_cart_view(cart=cart, destination=Destination(country="DE")).groups[0]

    assert in_russia.method == courier
    assert in_germany.method == post  # no courier to the EU: the cheapest that reaches


def test_delivery_is_priced_in_the_buyers_currency_by_the_rounding_rule(market, zoned):
    _seller, _post, _courier, offer = zoned
    cart = fill_cart(user=market.buyer, lines=[(offer, 1)])

    view = build_cart_view(cart=cart, currency="EUR", destination=Destination(country="DE"))

    group = view.groups[0]
    assert group.buyer_delivery == group.quote.to_buyer(Money("900", "RUB"))
    assert group.buyer_total == group.buyer_subtotal + group.buyer_delivery
    assert view.total == group.buyer_total


def test_a_seller_who_does_not_ship_to_the_country_blocks_checkout_by_name(market, zoned):
    seller, _post, _courier, offer = zoned
    american = make_address_abroad(user=market.buyer, country="US")
    cart = fill_cart(user=market.buyer, lines=[(offer, 1), (market.offer_ru, 1)])

    view = build_cart_view(cart=cart, destination=Destination(country="US"))
    with pytest.raises(ValidationFailed) as caught:
        place_order(cart=cart, buyer=market.buyer, address=american)

    refused = next(group for group in view.groups if group.seller == seller)
    assert (refused.ships, refused.shipping.refusal) == (False, "Does not ship to United States")
    assert not view.is_buyable
    assert caught.value.code == "does_not_ship"
    assert caught.value.message == (
        "Felt boots cannot be delivered to United States: Kazan Crafts does not ship there"
    )
    assert Order.objects.count() == 0
    assert cart.lines.count() == 2


def test_the_order_records_the_method_its_price_in_both_currencies_and_the_dates(market, zoned):
    _seller, post, _courier, offer = zoned
    berlin = make_address_abroad(user=market.buyer, country="DE")
    cart = fill_cart(user=market.buyer, lines=[(offer, 1)])
    shown = build_cart_view(cart=cart, currency="EUR", destination=Destination(country="DE"))

    order = place_order(cart=cart, buyer=market.buyer, address=berlin, currency="EUR")

    seller_order = SellerOrder.objects.get(order=order)
    assert (
        seller_order.delivery_method,
        seller_order.delivery_method_name_en,
        seller_order.delivery_carrier,
        seller_order.delivery_amount,
        seller_order.buyer_delivery,
        seller_order.delivery_earliest,
        seller_order.delivery_latest,
        seller_order.delivery_days_min,
        seller_order.delivery_days_max,
    ) == (
        post,
        "Post",
        "Caravan Post",
        Decimal("900.00"),
        shown.groups[0].buyer_delivery,
        date(2026, 12, 18),
        date(2026, 12, 28),
        11,
        21,
    )
    assert seller_order.buyer_total == shown.total


def test_a_later_rate_change_leaves_the_order_as_placed(market, zoned):
    seller, post, _courier, offer = zoned
    cart = fill_cart(user=market.buyer, lines=[(offer, 1)])
    order = place_order(cart=cart, buyer=market.buyer, address=market.address)

    rate(seller, post, post.profile.zones.get(name="Russia"), [(None, "5000")], transit=(30, 40))

    seller_order = SellerOrder.objects.get(order=order)
    assert (seller_order.delivery_amount, seller_order.delivery_latest) == (
        Decimal("200.00"),
        date(2026, 12, 17),
    )


def test_product_page_quote_cart_and_order_promise_the_same_dates(market, zoned):
    """The one calculation: the product page's quote for one unit, the engine's promise for
    the method, the cart's group and the placed order agree for the same method."""
    seller, post, _courier, offer = zoned
    page = quote_methods(
        seller=seller,
        lines=[ParcelLine.of_variant(variant=offer.variant, quantity=1, unit_price=offer.price)],
        destination=Destination(country="RU"),
        handling_days=offer.handling_days,
    ).options[0]
    promise = delivery_promise(
        method=post,
        destination=Destination(country="RU"),
        placed_at=MONDAY_NOON_MOSCOW,
        handling_days=offer.handling_days,
    )
    cart = fill_cart(user=market.buyer, lines=[(offer, 1)])
    group = build_cart_view(cart=cart, destination=Destination(country="RU")).groups[0]

    order = place_order(cart=cart, buyer=market.buyer, address=market.address)

    seller_order = SellerOrder.objects.get(order=order)
    assert page.method == group.method == seller_order.delivery_method == post
    assert (
        (page.dates.earliest, page.dates.latest)
        == (promise.earliest, promise.latest)
        == (group.promise.earliest, group.promise.latest)
        == (seller_order.delivery_earliest, seller_order.delivery_latest)
        == (date(2026, 12, 13), date(2026, 12, 17))
    )
