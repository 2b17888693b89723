"""Balances read through the ledger's selectors are exact amounts of the currency, also on
SQLite, whose arithmetic on decimal columns is binary floating point."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caravan.finance.services import refund_by_operator, release_escrow
from caravan.kernel.money import Money
from caravan.ledger.selectors import escrow_held, get_balance, seller_balances
from caravan.ledger.services import party_for_seller, seller_order_reference
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from tests.factories import check_out_cart, fill_cart, move_clock

from .helpers import build_proof_market, capture_at_provider, on_commit_executed

pytestmark = pytest.mark.django_db


def test_an_escrow_refunded_in_two_parts_reads_zero_and_releases(monkeypatch):
    # given a paid parcel of 1534.47 RUB (1234.57 + 299.90 delivery)
    market = build_proof_market()
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    with on_commit_executed():
        result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
        capture_at_provider(result.payment)
    seller_order = SellerOrder.objects.get(order=result.order)
    assert seller_order.total == Money("1534.47", "RUB")

    # when the operator refunds it in two parts, 1024.13 then the 510.34 left
    # (-1534.47 + 1024.13 + 510.34 is 5.7e-14 in binary floating point, not 0)
    for amount in ("1024.13", "510.34"):
        with on_commit_executed():
            refund_by_operator(
                seller_order_public_id=seller_order.public_id,
                reason="damaged",
                actor=market.operator,
                amount=Decimal(amount),
            )

    # then the escrow reads exactly zero
    escrow = get_balance(
        purpose="escrow",
        party=party_for_seller(market.seller_ru.id),
        currency="RUB",
        reference=seller_order_reference(seller_order.id),
    )
    assert escrow.amount == Decimal("0")
    assert escrow_held(currency="RUB").amount == Decimal("0")
    (balance,) = seller_balances(seller_id=market.seller_ru.id)
    assert balance.in_escrow.amount == Decimal("0")

    # and the delivered parcel is released without posting anything
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
    (balance,) = seller_balances(seller_id=market.seller_ru.id)
    assert (balance.in_escrow.amount, balance.available.amount) == (Decimal("0"), Decimal("0"))
    assert verify_ledger().ok
