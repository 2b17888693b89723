"""Refunds after release return the platform's commission in proportion, rounded per refund
(ADR 0006); the last refund takes what is left. Small refunds whose commission share rounds
down must not leave more commission to return than the last refund's seller amount."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caravan.finance.services import refund_by_operator, release_escrow
from caravan.kernel.money import Money
from caravan.ledger.selectors import get_balance, seller_balances
from caravan.ledger.services import PLATFORM
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payments.models import Payment
from tests.factories import check_out_cart, fill_cart, move_clock

from .helpers import build_proof_market, capture_at_provider, on_commit_executed

pytestmark = pytest.mark.django_db


def test_a_parcel_refunded_in_small_parts_after_release_is_refunded_to_the_last_cent(
    monkeypatch,
):
    # given a released parcel of 1534.47 RUB whose commission was 61.73 RUB (5 % of 1234.57)
    market = build_proof_market()
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    with on_commit_executed():
        result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
        capture_at_provider(result.payment)
    seller_order = SellerOrder.objects.get(order=result.order)
    assert (seller_order.total, seller_order.commission) == (
        Money("1534.47", "RUB"),
        Money("61.73", "RUB"),
    )
    ship_seller_order(
        seller=market.seller_ru,
        seller_order_public_id=seller_order.public_id,
        carrier="Caravan Post",
        tracking_number="RA1",
        actor=market.owner_ru,
    )
    confirm_delivery(buyer=market.buyer, seller_order_public_id=seller_order.public_id)
    move_clock(monkeypatch, by=timedelta(days=16))
    assert release_escrow().released == 1

    # when the operator refunds 0.37 three times (each returns round(0.0149) = 0.01 of
    # commission, 0.0149 owed: 0.0153 short in all), then all but one kopeck, then the kopeck
    def refund(amount: str) -> None:
        with on_commit_executed():
            refund_by_operator(
                seller_order_public_id=seller_order.public_id,
                reason="goodwill",
                actor=market.operator,
                amount=Decimal(amount),
            )

    for amount in ("0.37", "0.37", "0.37", "1533.35", "0.01"):
        refund(amount)

    # then the buyer has everything back, the commission is returned in full, and the
    # seller gave back what they were paid
    payment = Payment.objects.get(order=result.order, settles_order=True)
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("1534.47"))
    assert get_balance(purpose="commission_revenue", party=PLATFORM, currency="RUB") == Money(
        0, "RUB"
    )
    (balance,) = seller_balances(seller_id=market.seller_ru.id)
    assert (balance.available, balance.receivable) == (Money(0, "RUB"), Money(0, "RUB"))
    assert verify_ledger().ok
