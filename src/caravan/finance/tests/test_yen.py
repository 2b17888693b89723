"""A buyer paying in yen (no minor unit) for a rouble seller: capture, partial refunds and
release, every yen figure whole and the ledger balanced."""

from datetime import timedelta
from decimal import Decimal

import pytest
from tests.factories import (
    add_member,
    check_out_cart,
    fill_cart,
    make_buyer,
    make_offer,
    make_seller,
    make_user,
    move_clock,
)

from caravan.finance.services import refund_by_operator, release_escrow
from caravan.fx.services import record_rate
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.ledger.selectors import get_balance, seller_balances
from caravan.ledger.services import PLATFORM
from caravan.ledger.verify import verify_ledger
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payments.models import Payment
from caravan.payments.sandbox import resolve_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_in_yen(settings, django_capture_on_commit_callbacks):
    # an operator who accepts payments in yen
    settings.BUYER_CURRENCIES = [*settings.BUYER_CURRENCIES, "JPY"]
    record_rate(base="RUB", quote="JPY", rate=Decimal("1.6331"), source="test")
    seller = make_seller(name="Moscow Goods", currency="RUB", delivery_price="300")
    offer = make_offer(seller=seller, price="2499.99", stock=5)
    buyer, address = make_buyer()
    cart = fill_cart(user=buyer, lines=[(offer, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        result = check_out_cart(user=buyer, address=address, cart=cart, currency="JPY")
        resolve_session(reference=result.payment.provider_reference, approved=True)
    return buyer, result.order.seller_orders.get()


def test_a_yen_payment_is_held_in_roubles_with_a_whole_yen_margin(paid_in_yen):
    _buyer, seller_order = paid_in_yen

    # 2 x round(2499.99 x 1.6331 x 1.015) + round(300 x 1.6576) = 8288 + 497 yen
    assert Payment.objects.get().money == Money("8785", "JPY")
    assert (seller_order.total, seller_order.buyer_total) == (
        Money("5299.98", "RUB"),
        Money("8785", "JPY"),
    )
    # worth round(5299.98 x 1.6331) = 8655 yen at mid
    assert seller_order.fx_margin == Money("130", "JPY")
    assert get_balance(purpose="fx_margin_revenue", party=PLATFORM, currency="JPY") == Money(
        "130", "JPY"
    )
    assert verify_ledger().ok


def test_partial_yen_refunds_split_into_whole_yen_and_kopecks(
    paid_in_yen, monkeypatch, django_capture_on_commit_callbacks
):
    buyer, seller_order = paid_in_yen
    operator = make_user()

    with django_capture_on_commit_callbacks(execute=True):
        first = refund_by_operator(
            seller_order_public_id=seller_order.public_id,
            reason="scratched",
            actor=operator,
            amount=Decimal("1000"),
        )
    owner = add_member(seller=seller_order.seller, role="owner")
    ship_seller_order(
        seller=seller_order.seller,
        seller_order_public_id=seller_order.public_id,
        carrier="Post",
        tracking_number="RA1",
        actor=owner,
    )
    confirm_delivery(buyer=buyer, seller_order_public_id=seller_order.public_id)
    move_clock(monkeypatch, by=timedelta(days=16))
    assert release_escrow().released == 1
    with django_capture_on_commit_callbacks(execute=True):
        last = refund_by_operator(
            seller_order_public_id=seller_order.public_id,
            reason="the rest",
            actor=operator,
            amount=Decimal("7785"),
        )

    # 5299.98 x 1000 / 8785 = 603.30 RUB; 130 x 1000 / 8785 = 14.8 -> 15 yen
    assert (first.seller_amount, first.fx_margin_amount) == (Decimal("603.30"), Decimal("15"))
    assert (last.seller_amount, last.fx_margin_amount) == (Decimal("4696.68"), Decimal("115"))
    (balance,) = seller_balances(seller_id=seller_order.seller_id)
    assert (balance.available, balance.in_escrow) == (Money("0", "RUB"), Money("0", "RUB"))
    assert get_balance(purpose="fx_margin_revenue", party=PLATFORM, currency="JPY") == Money(
        "0", "JPY"
    )
    assert get_balance(purpose="commission_revenue", party=PLATFORM, currency="RUB") == Money(
        "0", "RUB"
    )
    payment = Payment.objects.get()
    assert (payment.status, payment.refunded) == ("refunded", Money("8785", "JPY"))
    assert verify_ledger().ok


def test_a_yen_refund_with_a_fraction_is_refused(paid_in_yen):
    _buyer, seller_order = paid_in_yen

    with pytest.raises(ValidationFailed) as caught:
        refund_by_operator(
            seller_order_public_id=seller_order.public_id,
            reason="odd",
            actor=make_user(),
            amount=Decimal("10.5"),
        )

    assert caught.value.code == "refund_amount_invalid"
    assert Payment.objects.get().refunded_amount == 0
