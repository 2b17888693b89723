"""The whole life of a two-seller, cross-currency order through the services: checkout,
capture, shipping, delivery, release; every figure exact and the ledger balanced."""

from datetime import timedelta
from decimal import Decimal

import pytest
from tests.factories import add_member, build_market, move_clock, pay_market_order
from tests.finance_factories import ship_and_deliver

from caravan.finance.services import cancel_by_buyer, refund_by_operator, release_escrow
from caravan.kernel.money import Money
from caravan.ledger.selectors import get_balance, seller_balances
from caravan.ledger.services import PLATFORM, party_for_seller
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import Order, SellerOrder
from caravan.payments.models import Payment, Refund

pytestmark = pytest.mark.django_db


def test_capture_holds_each_seller_order_in_escrow_in_the_seller_currency(
    django_capture_on_commit_callbacks,
):
    # given a market with a RUB and a CNY seller
    market = build_market()

    # when the buyer pays 2 RUB units and 1 CNY unit in roubles and the sandbox captures
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market)

    # then one payment in roubles paid the order
    payment = Payment.objects.get(order=order, settles_order=True)
    assert order.status == Order.Status.PAID
    assert payment.status == Payment.Status.CAPTURED
    # 5000 + 300 RUB, and (150 + 25 CNY) at 12.50 * 1.015: 1903.13 + 317.19
    assert payment.money == Money("7520.32", "RUB")
    assert order.total == payment.money
    ru, cn = order.seller_orders.order_by("id")
    assert get_balance(
        purpose="escrow",
        party=party_for_seller(ru.seller_id),
        currency="RUB",
        reference=f"seller_order:{ru.id}",
    ) == Money("5300", "RUB")
    assert get_balance(
        purpose="escrow",
        party=party_for_seller(cn.seller_id),
        currency="CNY",
        reference=f"seller_order:{cn.id}",
    ) == Money("175", "CNY")
    # margin: 2220.32 RUB charged for 175 CNY worth 2187.50 at mid
    assert get_balance(purpose="fx_margin_revenue", party=PLATFORM, currency="RUB") == Money(
        "32.82", "RUB"
    )
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == Money(
        "7520.32", "RUB"
    )
    assert verify_ledger().ok


def test_release_after_the_protection_window_pays_each_seller_less_commission(
    django_capture_on_commit_callbacks, monkeypatch
):
    # given a paid order, shipped and delivered
    market = build_market()
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market)
    ship_and_deliver(order, market)

    # when the window is not over yet, nothing is released
    assert release_escrow().released == 0

    # when the window has passed
    move_clock(monkeypatch, by=timedelta(days=16))
    result = release_escrow()

    # then both seller orders are released; the default rule takes 5 % (min 10 RUB)
    assert result.released == 2
    ru, cn = order.seller_orders.order_by("id")
    assert ru.commission == Money("250", "RUB")  # 5 % of 5000
    assert cn.commission == Money("7.50", "CNY")  # 5 % of 150
    (cn_balance,) = seller_balances(seller_id=cn.seller_id)
    assert cn_balance.available == Money("167.50", "CNY")  # 175 - 7.50
    assert cn_balance.in_escrow == Money("0", "CNY")
    (ru_balance,) = seller_balances(seller_id=ru.seller_id)
    assert ru_balance.available == Money("5050", "RUB")
    assert get_balance(purpose="commission_revenue", party=PLATFORM, currency="CNY") == Money(
        "7.50", "CNY"
    )
    # and running it again changes nothing
    assert release_escrow().released == 0
    assert verify_ledger().ok


def test_buyer_cancels_a_paid_parcel_and_is_refunded_in_full(django_capture_on_commit_callbacks):
    # given a paid order
    market = build_market()
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market)
    cn = order.seller_orders.get(seller=market.seller_cn)
    stock_before = market.offer_cn.stock_quantity

    # when the buyer cancels the CNY parcel before it ships
    with django_capture_on_commit_callbacks(execute=True):
        refund = cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)

    # then the parcel is cancelled, the stock is back and the sandbox refunded 2220.32 RUB
    cn.refresh_from_db()
    refund.refresh_from_db()
    market.offer_cn.refresh_from_db()
    assert cn.status == SellerOrder.Status.CANCELLED
    assert market.offer_cn.stock_quantity == stock_before  # taken by the order, now returned
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.money == Money("2220.32", "RUB")
    assert refund.seller_money == Money("175", "CNY")
    payment = Payment.objects.get(order=order, settles_order=True)
    assert payment.status == Payment.Status.PARTIALLY_REFUNDED
    assert payment.refunded == Money("2220.32", "RUB")
    assert get_balance(purpose="fx_margin_revenue", party=PLATFORM, currency="RUB") == Money(
        "0", "RUB"
    )
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == Money(
        "5300", "RUB"
    )
    assert verify_ledger().ok


def test_refund_after_release_claws_back_from_the_seller(
    django_capture_on_commit_callbacks, monkeypatch
):
    # given a released order
    market = build_market()
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market)
    ship_and_deliver(order, market)
    move_clock(monkeypatch, by=timedelta(days=16))
    release_escrow()
    ru = order.seller_orders.get(seller=market.seller_ru)
    operator = add_member(seller=market.seller_ru, role="owner")

    # when the operator refunds one RUB unit (2500)
    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_by_operator(
            seller_order_public_id=ru.public_id,
            reason="arrived broken",
            actor=operator,
            amount=Decimal("2500"),
        )

    # then the seller gives back 2500 less its share of the commission, which is returned in
    # proportion to the seller total (250 x 2500 / 5300 = 117.92, ADR 0006)
    assert refund.after_release
    assert refund.commission_returned_amount == Decimal("117.92")
    (balance,) = seller_balances(seller_id=ru.seller_id)
    assert balance.available == Money("2667.92", "RUB")  # 5050 - (2500 - 117.92)
    assert verify_ledger().ok


def test_refund_above_what_is_left_is_refused_and_changes_nothing(
    django_capture_on_commit_callbacks,
):
    market = build_market()
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market)
    ru = order.seller_orders.get(seller=market.seller_ru)
    operator = add_member(seller=market.seller_ru, role="owner")

    with pytest.raises(Exception) as error:
        refund_by_operator(
            seller_order_public_id=ru.public_id,
            reason="too much",
            actor=operator,
            amount=Decimal("5300.01"),
        )

    assert getattr(error.value, "code", "") == "refund_exceeds_payment"
    assert Refund.objects.count() == 0
    assert Payment.objects.get(order=order, settles_order=True).refunded_amount == 0
