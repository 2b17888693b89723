"""Refunds of a DDP parcel return the duty and VAT collected with it (ADR 0010): in the
same proportion as the goods and delivery refunded, rounded half-up; the refund that
empties the seller order returns all that is left of them. A DAP parcel's customs were
never ours and are never refunded."""

from decimal import Decimal

import pytest
from django.test import TestCase
from tests.factories import (
    check_out_cart,
    default_rates,
    fill_cart,
    make_address_abroad,
    make_offer,
    make_seller,
    make_user,
)

from caravan.customs.services import load_customs_rules
from caravan.finance.services import cancel_by_buyer, refund_by_operator
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance
from caravan.ledger.tests.factories import postings
from caravan.ledger.verify import verify_ledger
from caravan.payments.models import Payment
from caravan.payments.sandbox import resolve_session

pytestmark = pytest.mark.django_db


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


@pytest.fixture
def ddp_order(db):
    """A buyer in Germany paid 2 units of a 150 CNY offer from China in euros: goods
    2 x 19.03 + delivery 3.17 = 41.23, EUR 3 duty (one HS heading), 19 % VAT of 44.23 =
    8.40: 52.63 EUR charged."""
    load_customs_rules()
    default_rates()
    seller = make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25")
    offer = make_offer(seller=seller, price="150", stock=20)
    buyer = make_user()
    address = make_address_abroad(user=buyer, country="DE")
    cart = fill_cart(user=buyer, lines=[(offer, 2)])
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = check_out_cart(user=buyer, address=address, cart=cart, currency="EUR")
        resolve_session(reference=result.payment.provider_reference, approved=True)
    seller_order = result.order.seller_orders.get()
    return buyer, seller_order, result.payment


def liabilities() -> tuple[Money, Money]:
    return (
        get_balance(purpose="customs_duty_payable", party="platform", currency="EUR"),
        get_balance(purpose="import_vat_payable", party="platform", currency="EUR"),
    )


def test_the_ddp_order_was_charged_its_landed_cost(ddp_order):
    _buyer, seller_order, payment = ddp_order

    assert seller_order.buyer_total == eur("41.23")
    assert (seller_order.buyer_duty_collected, seller_order.buyer_vat_collected) == (
        eur("3.00"),
        eur("8.40"),
    )
    assert payment.money == eur("52.63")
    assert liabilities() == (eur("3.00"), eur("8.40"))


def test_cancelling_a_ddp_parcel_returns_goods_delivery_duty_and_vat(ddp_order):
    buyer, seller_order, payment = ddp_order

    with TestCase.captureOnCommitCallbacks(execute=True):
        refund = cancel_by_buyer(buyer=buyer, seller_order_public_id=seller_order.public_id)

    assert refund is not None
    assert refund.money == eur("52.63")
    assert (refund.duty_amount, refund.vat_amount) == (eur("3.00").amount, eur("8.40").amount)
    assert liabilities() == (eur("0.00"), eur("0.00"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert verify_ledger().violations == []


def test_a_partial_refund_returns_the_same_share_of_duty_and_vat_and_the_last_one_the_rest(
    ddp_order,
):
    _buyer, seller_order, payment = ddp_order
    operator = make_user()

    # One unit: 19.03 of 41.23 is 46.2 %: duty 1.38 (1.3847), VAT 3.88 (3.8771)
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = refund_by_operator(
            seller_order_public_id=seller_order.public_id,
            reason="damaged",
            actor=operator,
            lines=[(seller_order.lines.get().id, 1)],
        )
    entry = JournalEntry.objects.get(key=f"refund:{first.public_id}")

    assert first.money == eur("24.29")
    customs_and_refund = [
        posting
        for posting in postings(entry)
        if posting[0] in {"customs_duty_payable", "import_vat_payable", "refunds_payable"}
    ]
    assert customs_and_refund == [
        ("customs_duty_payable", "platform", "", "EUR", "1.38"),
        ("import_vat_payable", "platform", "", "EUR", "3.88"),
        ("refunds_payable", "platform", "", "EUR", "-24.29"),
    ]
    assert liabilities() == (eur("1.62"), eur("4.52"))

    # The rest (one unit and the delivery, 22.20) empties the parcel: all that is left
    with TestCase.captureOnCommitCallbacks(execute=True):
        last = refund_by_operator(
            seller_order_public_id=seller_order.public_id,
            reason="never arrived",
            actor=operator,
            amount=Decimal("22.20"),
        )

    assert last.money == eur("28.34")
    assert (last.duty_amount, last.vat_amount) == (eur("1.62").amount, eur("4.52").amount)
    assert liabilities() == (eur("0.00"), eur("0.00"))
    payment.refresh_from_db()
    assert payment.refunded_amount == payment.amount
    assert verify_ledger().violations == []
