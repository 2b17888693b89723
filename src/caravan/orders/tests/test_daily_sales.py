"""Daily sales for the seller dashboard: every day present, paid orders only, per currency."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.factories import move_clock, place_market_order

from caravan.kernel.money import Money
from caravan.orders.selectors import seller_daily_sales
from caravan.orders.services import cancel_unpaid_order, mark_order_paid

pytestmark = pytest.mark.django_db


def test_daily_sales_count_only_paid_orders_on_their_payment_day(market):
    paid = place_market_order(market)
    mark_order_paid(order_id=paid.id)
    unpaid = place_market_order(market, quantity_ru=1, quantity_cn=1)
    cancelled = place_market_order(market, quantity_ru=1, quantity_cn=1)
    cancel_unpaid_order(order_id=cancelled.id, reason="test")
    paid.refresh_from_db()
    today = timezone.localdate(paid.paid_at)
    assert unpaid.status == "pending_payment"

    days = seller_daily_sales(seller=market.seller_ru, days=3, today=today)

    assert [day.day for day in days] == [
        today - timedelta(days=2),
        today - timedelta(days=1),
        today,
    ]
    assert [day.orders for day in days] == [0, 0, 1]
    assert days[2].totals.as_list() == [Money("5300.00", "RUB")]
    assert days[0].totals.as_list() == []


def test_a_payment_older_than_the_window_is_left_out(market, monkeypatch):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)
    paid_day = timezone.localdate(order.paid_at)
    move_clock(monkeypatch, by=timedelta(days=10))

    days = seller_daily_sales(seller=market.seller_ru, days=7, today=paid_day + timedelta(days=10))

    assert len(days) == 7
    assert sum(day.orders for day in days) == 0
