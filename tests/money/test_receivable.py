"""What a seller owes after a clawback (seller_receivable) and the money the platform pays
them: a payout returned by the bank lands in the payable while the seller still owes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caravan.finance.services import refund_by_operator, release_escrow
from caravan.kernel.money import Money
from caravan.ledger.selectors import seller_balances
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payouts.services import fail_payout, run_payouts
from tests.factories import check_out_cart, fill_cart, move_clock

from .helpers import build_proof_market, capture_at_provider, on_commit_executed

pytestmark = pytest.mark.django_db


def test_a_payout_returned_by_the_bank_first_settles_what_the_seller_owes(monkeypatch):
    # given a released parcel of 2769.04 RUB (commission 123.46) paid out to the seller
    market = build_proof_market()
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])
    with on_commit_executed():
        result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
        capture_at_provider(result.payment)
    seller_order = SellerOrder.objects.get(order=result.order)
    ship_seller_order(
        seller=market.seller_ru,
        seller_order_public_id=seller_order.public_id,
        carrier="Caravan Post",
        tracking_number="RA1",
        actor=market.owner_ru,
    )
    confirm_delivery(buyer=market.buyer, seller_order_public_id=seller_order.public_id)
    move_clock(monkeypatch, by=timedelta(days=16))
    release_escrow()
    (payout,) = run_payouts().payouts
    assert payout.money == Money("2645.58", "RUB")

    # when the operator refunds 1000 while the payout is in transit (the seller owes
    # 1000 - 44.59 commission returned = 955.41), then the bank returns the payout
    with on_commit_executed():
        refund_by_operator(
            seller_order_public_id=seller_order.public_id,
            reason="damaged",
            actor=market.operator,
            amount=Decimal("1000"),
        )
    (balance,) = seller_balances(seller_id=market.seller_ru.id)
    assert (balance.available, balance.receivable) == (Money(0, "RUB"), Money("955.41", "RUB"))
    fail_payout(payout_public_id=payout.public_id, reason="account closed", actor=None)
    rerun = run_payouts()

    # then what the seller owes is settled first: the next payout is 2645.58 - 955.41
    assert [item.money for item in rerun.payouts] == [Money("1690.17", "RUB")]
    (balance,) = seller_balances(seller_id=market.seller_ru.id)
    assert (balance.available, balance.receivable) == (Money(0, "RUB"), Money(0, "RUB"))
    assert verify_ledger().ok
