import pytest
from tests.factories import make_user, place_market_order

from caravan.kernel.errors import InvalidTransition, NotFound, ValidationFailed
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderEvent, SellerOrder
from caravan.orders.selectors import get_buyer_seller_order, get_seller_order
from caravan.orders.services import (
    cancel_unpaid_order,
    confirm_delivery,
    mark_order_paid,
    ship_seller_order,
)


def owner_of(seller):
    return seller.memberships.get().user


def snapshot(order):
    """Everything a transition may touch, to prove a refused one touched nothing."""
    order = Order.objects.get(id=order.id)
    return (
        order.status,
        order.paid_at,
        list(
            order.seller_orders.order_by("id").values_list(
                "status", "carrier", "tracking_number", "shipped_at", "delivered_at"
            )
        ),
        OrderEvent.objects.filter(order=order).count(),
        list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)),
    )


def seller_order_of(order, seller):
    return SellerOrder.objects.get(order=order, seller=seller)


def ship(market, order, *, seller=None, tracking="RR123456789CN"):
    seller = seller or market.seller_ru
    return ship_seller_order(
        seller=seller,
        seller_order_public_id=seller_order_of(order, market.seller_ru).public_id,
        carrier="Russian Post",
        tracking_number=tracking,
        actor=owner_of(seller),
    )


def events_after(order, count):
    return list(
        OrderEvent.objects.filter(order=order)
        .order_by("id")[count:]
        .values_list("seller_order__seller__name", "from_status", "to_status", "actor", "note")
    )


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("pending_payment", "paid", True),
        ("pending_payment", "cancelled", True),
        ("paid", "completed", True),
        ("paid", "cancelled", True),
        ("pending_payment", "completed", False),
        ("cancelled", "paid", False),
        ("completed", "cancelled", False),
        ("paid", "pending_payment", False),
    ],
)
def test_order_transition_table(source, target, allowed):
    assert Order.TRANSITIONS.can(source, target) is allowed


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("pending_payment", "awaiting_shipment", True),
        ("pending_payment", "cancelled", True),
        ("awaiting_shipment", "shipped", True),
        ("awaiting_shipment", "cancelled", True),
        ("shipped", "delivered", True),
        ("pending_payment", "shipped", False),
        ("shipped", "cancelled", False),
        ("delivered", "shipped", False),
        ("cancelled", "awaiting_shipment", False),
    ],
)
def test_seller_order_transition_table(source, target, allowed):
    assert SellerOrder.TRANSITIONS.can(source, target) is allowed


def test_payment_moves_the_order_and_every_seller_order(market):
    order = place_market_order(market)

    paid = mark_order_paid(order_id=order.id, note="payment sbx_1")

    assert paid.status == "paid"
    assert paid.paid_at is not None
    assert list(order.seller_orders.order_by("id").values_list("status", flat=True)) == [
        "awaiting_shipment",
        "awaiting_shipment",
    ]
    assert events_after(order, 3) == [
        (None, "pending_payment", "paid", None, "payment sbx_1"),
        ("Moscow Goods", "pending_payment", "awaiting_shipment", None, ""),
        ("Shenzhen Tech", "pending_payment", "awaiting_shipment", None, ""),
    ]


def test_paying_twice_changes_nothing_the_second_time(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    before = snapshot(order)

    again = mark_order_paid(order_id=order.id)

    assert again.status == "paid"
    assert snapshot(order) == before


def test_a_cancelled_order_cannot_be_paid(market):
    order = place_market_order(market)
    cancel_unpaid_order(order_id=order.id, reason="payment failed: card_declined")
    before = snapshot(order)

    with pytest.raises(InvalidTransition):
        mark_order_paid(order_id=order.id)

    assert snapshot(order) == before


def test_shipping_before_payment_is_refused_and_changes_nothing(market):
    order = place_market_order(market)
    before = snapshot(order)

    with pytest.raises(InvalidTransition) as caught:
        ship(market, order)

    assert caught.value.code == "invalid_transition"
    assert snapshot(order) == before


def test_the_seller_ships_a_paid_seller_order(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    seller_user = owner_of(market.seller_ru)

    shipped = ship(market, order, tracking="  RR123456789CN ")

    assert (shipped.status, shipped.carrier, shipped.tracking_number) == (
        "shipped",
        "Russian Post",
        "RR123456789CN",
    )
    assert shipped.shipped_at is not None
    assert seller_order_of(order, market.seller_cn).status == "awaiting_shipment"
    assert Order.objects.get(id=order.id).status == "paid"
    assert events_after(order, 6) == [
        ("Moscow Goods", "awaiting_shipment", "shipped", seller_user.id, "RR123456789CN"),
    ]


def test_shipping_twice_is_refused(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    ship(market, order)
    before = snapshot(order)

    with pytest.raises(InvalidTransition):
        ship(market, order, tracking="OTHER-1")

    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("tracking", "code"),
    [("", "tracking_required"), ("   ", "tracking_required"), ("X" * 65, "tracking_too_long")],
)
def test_shipping_needs_a_sensible_tracking_number(market, tracking, code):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    before = snapshot(order)

    with pytest.raises(ValidationFailed) as caught:
        ship(market, order, tracking=tracking)

    assert caught.value.code == code
    assert snapshot(order) == before


def test_another_seller_cannot_ship_or_see_the_seller_order(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    before = snapshot(order)
    ru_public_id = seller_order_of(order, market.seller_ru).public_id

    with pytest.raises(NotFound):
        ship(market, order, seller=market.seller_cn)
    with pytest.raises(NotFound):
        get_seller_order(seller=market.seller_cn, public_id=ru_public_id)

    assert snapshot(order) == before


def test_the_buyer_confirms_delivery_and_the_order_completes_when_all_are_done(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    ship(market, order)
    cn_order = seller_order_of(order, market.seller_cn)
    ship_seller_order(
        seller=market.seller_cn,
        seller_order_public_id=cn_order.public_id,
        carrier="Cainiao",
        tracking_number="LP00123",
        actor=owner_of(market.seller_cn),
    )

    delivered = confirm_delivery(
        buyer=market.buyer,
        seller_order_public_id=seller_order_of(order, market.seller_ru).public_id,
    )

    assert delivered.status == "delivered"
    assert delivered.delivered_at is not None
    assert Order.objects.get(id=order.id).status == "paid"

    confirm_delivery(buyer=market.buyer, seller_order_public_id=cn_order.public_id)

    assert Order.objects.get(id=order.id).status == "completed"
    assert events_after(order, 8) == [
        ("Moscow Goods", "shipped", "delivered", market.buyer.id, ""),
        ("Shenzhen Tech", "shipped", "delivered", market.buyer.id, ""),
        (None, "paid", "completed", market.buyer.id, ""),
    ]


def test_confirming_before_shipment_is_refused(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    before = snapshot(order)

    with pytest.raises(InvalidTransition):
        confirm_delivery(
            buyer=market.buyer,
            seller_order_public_id=seller_order_of(order, market.seller_ru).public_id,
        )

    assert snapshot(order) == before


def test_another_buyer_cannot_confirm_delivery(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    ship(market, order)
    before = snapshot(order)
    stranger = make_user()
    ru_public_id = seller_order_of(order, market.seller_ru).public_id

    with pytest.raises(NotFound):
        confirm_delivery(buyer=stranger, seller_order_public_id=ru_public_id)
    with pytest.raises(NotFound):
        get_buyer_seller_order(buyer=stranger, public_id=ru_public_id)

    assert snapshot(order) == before


def test_cancelling_an_unpaid_order_releases_the_stock(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=3)

    cancelled = cancel_unpaid_order(order_id=order.id, reason="payment deadline passed")

    assert cancelled.status == "cancelled"
    assert list(order.seller_orders.values_list("status", flat=True)) == ["cancelled"] * 2
    assert [
        Offer.objects.get(id=o.id).stock_quantity for o in (market.offer_ru, market.offer_cn)
    ] == [5, 8]
    assert events_after(order, 3) == [
        (None, "pending_payment", "cancelled", None, "payment deadline passed"),
        ("Moscow Goods", "pending_payment", "cancelled", None, "payment deadline passed"),
        ("Shenzhen Tech", "pending_payment", "cancelled", None, "payment deadline passed"),
    ]


def test_cancelling_twice_releases_the_stock_once(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=3)
    cancel_unpaid_order(order_id=order.id, reason="declined")
    before = snapshot(order)

    cancel_unpaid_order(order_id=order.id, reason="declined")

    assert snapshot(order) == before


def test_a_paid_order_is_not_cancelled_as_unpaid(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    before = snapshot(order)

    with pytest.raises(InvalidTransition):
        cancel_unpaid_order(order_id=order.id, reason="payment deadline passed")

    assert snapshot(order) == before
