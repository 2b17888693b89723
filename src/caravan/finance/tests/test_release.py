"""Escrow release: confirmed by the buyer or automatically long after the latest promised
date, released once the protection window is over, by the service, the task or the command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from tests.factories import add_member, move_clock, pay_market_order

from caravan.finance.services import (
    cancel_by_buyer,
    latest_promised_date,
    release_escrow,
    release_seller_order,
)
from caravan.finance.tasks import release_escrow as release_escrow_task
from caravan.kernel.clock import now
from caravan.kernel.money import Money
from caravan.ledger.selectors import seller_balances
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import Order, OrderEvent, SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_a_monday(monkeypatch):
    """The next Monday, 09:00 UTC: a promise's handling days skip the seller's weekend, so
    the days promised depend on the weekday the order is placed on."""
    today = timezone.now()
    monday = (today + timedelta(days=7 - today.weekday())).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return move_clock(monkeypatch, by=monday - today)


@pytest.fixture
def paid(market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market)
    return (
        order,
        order.seller_orders.get(seller=market.seller_ru),
        order.seller_orders.get(seller=market.seller_cn),
    )


def ship(seller_order):
    owner = add_member(seller=seller_order.seller, role="owner")
    ship_seller_order(
        seller=seller_order.seller,
        seller_order_public_id=seller_order.public_id,
        carrier="Russian Post",
        tracking_number="RA123456789RU",
        actor=owner,
    )


def release_command():
    out = StringIO()
    call_command("release_escrow", stdout=out)
    return out.getvalue()


def test_confirming_delivery_starts_the_protection_window(market, paid):
    _order, _ru, cn = paid
    ship(cn)

    confirm_delivery(buyer=market.buyer, seller_order_public_id=cn.public_id)

    cn.refresh_from_db()
    assert cn.status == SellerOrder.Status.DELIVERED
    assert cn.protection_ends_at == cn.delivered_at + timedelta(
        days=settings.ESCROW_PROTECTION_DAYS
    )
    assert release_seller_order(seller_order_id=cn.id) is False
    assert release_seller_order(seller_order_id=cn.id, at=cn.protection_ends_at) is True
    assert release_seller_order(seller_order_id=cn.id, at=cn.protection_ends_at) is False


def test_a_shipped_parcel_nobody_confirms_is_confirmed_after_the_grace_and_later_released(
    on_a_monday, paid, monkeypatch
):
    # given the CNY parcel, placed on a Monday, shipped (promised within 3 + 7 days) and
    # nobody confirms it
    order, ru, cn = paid
    ship(cn)
    assert cn.delivery_days_max == 10
    due = latest_promised_date(cn) + timedelta(days=settings.AUTO_CONFIRM_DAYS)

    # a minute before the grace is over nothing happens
    move_clock(monkeypatch, by=due - now() - timedelta(minutes=1))
    assert release_command() == ("0 deliveries confirmed automatically, 0 seller orders released\n")

    # when the grace is over, it is confirmed and its window starts
    move_clock(monkeypatch, by=timedelta(minutes=2))
    assert release_command() == ("1 deliveries confirmed automatically, 0 seller orders released\n")
    cn.refresh_from_db()
    assert (cn.status, cn.delivered_at) == (SellerOrder.Status.DELIVERED, now())
    assert OrderEvent.objects.filter(
        seller_order=cn, to_status="delivered", actor=None, note="confirmed automatically"
    ).exists()
    # the RUB parcel, not shipped, is left alone
    assert SellerOrder.objects.get(id=ru.id).status == SellerOrder.Status.AWAITING_SHIPMENT
    assert Order.objects.get(id=order.id).status == Order.Status.PAID

    # then released when the protection window is over: 175 less 7.50 CNY of commission
    move_clock(monkeypatch, by=timedelta(days=settings.ESCROW_PROTECTION_DAYS))
    assert release_escrow_task() == {"confirmed": 0, "released": 1}
    (balance,) = seller_balances(seller_id=cn.seller_id)
    assert (balance.available, balance.in_escrow) == (Money("167.50", "CNY"), Money("0", "CNY"))
    assert SellerOrder.objects.get(id=cn.id).escrow_released_at == now()
    assert release_command() == ("0 deliveries confirmed automatically, 0 seller orders released\n")
    assert verify_ledger().ok


def test_a_parcel_confirmed_by_the_buyer_is_not_confirmed_again(market, paid, monkeypatch):
    _order, _ru, cn = paid
    ship(cn)
    confirm_delivery(buyer=market.buyer, seller_order_public_id=cn.public_id)
    move_clock(monkeypatch, by=timedelta(days=30))

    result = release_escrow()

    assert (result.confirmed, result.released) == (0, 1)
    assert OrderEvent.objects.filter(seller_order=cn, to_status="delivered").count() == 1
    assert verify_ledger().ok


def test_a_cancelled_parcel_is_never_released(market, paid, monkeypatch):
    _order, _ru, cn = paid
    cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)
    move_clock(monkeypatch, by=timedelta(days=60))

    assert release_seller_order(seller_order_id=cn.id) is False
    assert release_escrow().released == 0
    assert seller_balances(seller_id=cn.seller_id)[0].available == Money("0", "CNY")
