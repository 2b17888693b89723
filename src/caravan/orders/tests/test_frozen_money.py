"""What placement freezes on the order's rows (FX, margin, commission per line) and the
transitions the money flows lean on: delivery starting the protection window, automatic
confirmation, cancelling a paid parcel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from tests.factories import make_offer, move_clock, place_cart_order, place_market_order

from caravan.commissions.services import create_rule
from caravan.kernel.errors import InvalidTransition
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderEvent, SellerOrder
from caravan.orders.services import (
    cancel_paid_seller_order,
    confirm_delivery,
    confirm_delivery_automatically,
    lock_order,
    mark_order_paid,
    ship_seller_order,
)
from caravan.sellers.models import Membership

pytestmark = pytest.mark.django_db


def ship(seller_order):
    owner = Membership.objects.filter(seller=seller_order.seller).first().user
    ship_seller_order(
        seller=seller_order.seller,
        seller_order_public_id=seller_order.public_id,
        carrier="Russian Post",
        tracking_number="RA123456789RU",
        actor=owner,
    )


def test_placement_freezes_the_conversion_of_a_converted_parcel(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=1)

    cn = order.seller_orders.get(seller=market.seller_cn)
    assert (cn.currency, cn.buyer_currency) == ("CNY", "RUB")
    assert (cn.fx_rate, cn.fx_margin_bps, cn.fx_effective_rate) == (
        Decimal("12.50"),
        150,
        Decimal("12.6875"),
    )
    assert cn.fx_source == "test"
    assert cn.fx_rate_as_of is not None
    # 2220.32 RUB charged for 175 CNY worth 2187.50 at mid
    assert (cn.buyer_total, cn.fx_margin) == (Money("2220.32", "RUB"), Money("32.82", "RUB"))
    line = cn.lines.get()
    assert (line.buyer_unit_price_amount, line.buyer_line_total_amount) == (
        Decimal("1903.13"),
        Decimal("1903.13"),
    )


def test_a_parcel_in_the_buyer_currency_is_frozen_at_rate_one_without_margin(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=1)

    ru = order.seller_orders.get(seller=market.seller_ru)
    assert (ru.fx_rate, ru.fx_margin_bps, ru.fx_effective_rate, ru.fx_source) == (
        Decimal("1"),
        0,
        Decimal("1"),
        "identity",
    )
    assert (ru.fx_margin, ru.buyer_total, ru.total) == (
        Money("0", "RUB"),
        Money("5300", "RUB"),
        Money("5300", "RUB"),
    )


def test_each_line_freezes_its_commission_rule_percent_and_amount(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=3)

    ru = order.seller_orders.get(seller=market.seller_ru)
    cn = order.seller_orders.get(seller=market.seller_cn)
    (ru_line,) = ru.lines.all()
    (cn_line,) = cn.lines.all()
    assert (ru_line.commission_percent, ru_line.commission_amount) == (
        Decimal("5.00"),
        Decimal("250.00"),
    )
    assert ru_line.commission_rule == "Marketplace default 5.00 %"
    assert (cn_line.commission_amount, cn.commission) == (
        Decimal("22.50"),
        Money("22.50", "CNY"),
    )  # 5 % of 450, delivery not included
    assert ru.commission == Money("250", "RUB")


def test_a_cheap_line_pays_the_minimum_fee_and_never_more_than_itself(market):
    cheap = make_offer(seller=market.seller_ru, price="100", stock=5)
    tiny = make_offer(seller=market.seller_ru, price="4", stock=5)

    order = place_cart_order(
        user=market.buyer, address=market.address, lines=[(cheap, 1), (tiny, 1)]
    )

    lines = order.seller_orders.get().lines.order_by("unit_price_amount")
    # 5 % of 4 is 0.20, the minimum 10 RUB is more than the line: the line total caps it
    assert [(line.line_total_amount, line.commission_amount) for line in lines] == [
        (Decimal("4.00"), Decimal("4.00")),
        (Decimal("100.00"), Decimal("10.00")),
    ]


def test_a_seller_override_is_frozen_and_later_changes_do_not_touch_the_order(market):
    rule = create_rule(
        category=None,
        seller=market.seller_cn,
        percent=Decimal("3.5"),
        minimum_fee=Money("0", "CNY"),
    )
    order = place_market_order(market, quantity_ru=1, quantity_cn=2)
    rule.percent = Decimal("20")
    rule.save(update_fields=["percent"])

    line = order.seller_orders.get(seller=market.seller_cn).lines.get()
    assert (line.commission_percent, line.commission_amount) == (Decimal("3.50"), Decimal("10.50"))
    assert line.commission_rule.endswith("(seller override)")


def test_lock_order_returns_the_order_and_its_parcels_by_id(market):
    order = place_market_order(market)

    locked, seller_orders = lock_order(order_id=order.id)

    assert locked.id == order.id
    assert [item.id for item in seller_orders] == sorted(
        order.seller_orders.values_list("id", flat=True)
    )


def test_delivery_confirmed_by_the_buyer_starts_the_protection_window(market, monkeypatch):
    order = mark_order_paid(order_id=place_market_order(market).id)
    cn = order.seller_orders.get(seller=market.seller_cn)
    ship(cn)
    moment = move_clock(monkeypatch, by=timedelta(days=5))

    delivered = confirm_delivery(buyer=market.buyer, seller_order_public_id=cn.public_id)

    assert (delivered.delivered_at, delivered.protection_ends_at) == (
        moment,
        moment + timedelta(days=settings.ESCROW_PROTECTION_DAYS),
    )


def test_automatic_confirmation_is_audited_without_an_actor(market):
    order = mark_order_paid(order_id=place_market_order(market).id)
    cn = order.seller_orders.get(seller=market.seller_cn)
    ship(cn)

    confirm_delivery_automatically(seller_order_id=cn.id)

    event = OrderEvent.objects.filter(seller_order=cn).latest("id")
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "shipped",
        "delivered",
        None,
        "confirmed automatically",
    )
    delivered = SellerOrder.objects.get(id=cn.id)
    assert delivered.protection_ends_at == delivered.delivered_at + timedelta(
        days=settings.ESCROW_PROTECTION_DAYS
    )
    with pytest.raises(InvalidTransition):
        confirm_delivery_automatically(seller_order_id=cn.id)


def test_automatic_confirmation_of_a_parcel_not_shipped_is_refused(market):
    order = mark_order_paid(order_id=place_market_order(market).id)
    cn = order.seller_orders.get(seller=market.seller_cn)

    with pytest.raises(InvalidTransition):
        confirm_delivery_automatically(seller_order_id=cn.id)

    assert SellerOrder.objects.get(id=cn.id).status == "awaiting_shipment"


def test_cancelling_a_paid_parcel_returns_its_stock_and_the_last_one_cancels_the_order(market):
    order = mark_order_paid(order_id=place_market_order(market, quantity_ru=2, quantity_cn=3).id)

    for seller in (market.seller_ru, market.seller_cn):
        locked, seller_orders = lock_order(order_id=order.id)
        target = next(item for item in seller_orders if item.seller_id == seller.id)
        cancel_paid_seller_order(
            order=locked,
            seller_orders=seller_orders,
            seller_order=target,
            actor=market.buyer,
            reason="changed my mind",
        )

    assert list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)) == [5, 8]
    assert list(order.seller_orders.values_list("status", "cancel_reason")) == [
        ("cancelled", "changed my mind"),
        ("cancelled", "changed my mind"),
    ]
    assert Order.objects.get(id=order.id).status == Order.Status.CANCELLED
    assert OrderEvent.objects.filter(order=order, seller_order=None).latest("id").to_status == (
        "cancelled"
    )


def test_a_parcel_cancelled_beside_a_delivered_one_completes_the_order(market):
    order = mark_order_paid(order_id=place_market_order(market).id)
    ru = order.seller_orders.get(seller=market.seller_ru)
    ship(ru)
    confirm_delivery(buyer=market.buyer, seller_order_public_id=ru.public_id)
    assert Order.objects.get(id=order.id).status == Order.Status.PAID

    locked, seller_orders = lock_order(order_id=order.id)
    cn = next(item for item in seller_orders if item.seller_id == market.seller_cn.id)
    cancel_paid_seller_order(
        order=locked, seller_orders=seller_orders, seller_order=cn, actor=None, reason="no stock"
    )

    assert Order.objects.get(id=order.id).status == Order.Status.COMPLETED
