"""Money races on the real PostgreSQL server (issue "Proof", part 2).

Each racer runs in its own thread, so on its own database connection, released together by
a barrier; every join is bounded. Whatever order the database lets them in, the outcome is
one of the allowed ones and the ledger verifies.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from caravan.cart.models import CartLine
from caravan.finance.refunds import proportion
from caravan.finance.services import cancel_by_buyer, refund_by_operator, release_seller_order
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance, seller_balances
from caravan.ledger.services import PLATFORM, party_for_seller, seller_order_reference
from caravan.ledger.verify import verify_ledger
from caravan.offers.models import Offer
from caravan.orders.models import Order, SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payments.gateways.base import ProviderUnavailable
from caravan.payments.models import Payment, Refund, SandboxRefund, SandboxSession
from caravan.payments.refunds import send_refund
from caravan.payments.sandbox import SandboxGateway
from caravan.payments.services import create_payment, expire_unpaid_orders, open_session
from tests.factories import check_out_cart, deliver_event, fill_cart, move_clock
from tests.money.helpers import (
    ProofMarket,
    build_proof_market,
    capture_at_provider,
    run_together,
    set_session_status,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

STOCK = 50
RU_TOTAL = Money("2769.04", "RUB")  # 2 x 1234.57 + 299.90 delivery


@pytest.fixture
def market() -> ProofMarket:
    return build_proof_market(stock=STOCK)


def _paid_rouble_order(market: ProofMarket) -> tuple[Order, SellerOrder]:
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    capture_at_provider(result.payment)  # commits: on-commit work runs for real here
    return result.order, SellerOrder.objects.get(order=result.order)


def _clearing_matches_rows(currency: str) -> None:
    captured = Payment.objects.filter(
        currency=currency, status__in=["captured", "partially_refunded", "refunded"]
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    sent = Refund.objects.filter(currency=currency, status="succeeded").aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    clearing = get_balance(purpose="provider_clearing", party=PLATFORM, currency=currency)
    assert clearing == Money(captured - sent, currency)


def test_a_capture_racing_the_payment_deadline_has_exactly_one_outcome(market, monkeypatch):
    # several rounds, so that both orders of arrival occur
    rounds = 6
    outcomes = []
    for index in range(rounds):
        # given an unpaid order past its deadline whose payment the provider has captured
        # (an expired round gave its two units back to the cart, ADR 0006: start empty)
        CartLine.objects.filter(cart__user=market.buyer).delete()
        cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])
        result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
        set_session_status(result.payment, SandboxSession.Status.APPROVED)
        move_clock(monkeypatch, by=timedelta(minutes=31))
        reference = result.payment.provider_reference

        # when its notification arrives while the expiry job runs (at once, or one of them
        # a few milliseconds ahead, so that both win some rounds)
        capture_delay, expiry_delay = [(0.0, 0.0), (0.0, 0.03), (0.03, 0.0)][index % 3]

        def notification(reference: str = reference, delay: float = capture_delay) -> bool:
            time.sleep(delay)
            return deliver_event(session_reference=reference, approved=True)

        def expiry_job(delay: float = expiry_delay) -> int:
            time.sleep(delay)
            return expire_unpaid_orders()

        capture, expiry = run_together([notification, expiry_job])

        # then either the order is paid (and did not expire) or it expired and the late
        # capture was refunded in full as a duplicate; never both
        assert (capture.error, expiry.error) == (None, None)
        assert capture.value is True
        order = Order.objects.get(id=result.order.id)
        payment = Payment.objects.get(id=result.payment.id)
        refunds = list(Refund.objects.filter(payment=payment).values_list("kind", "status"))
        if order.status == Order.Status.PAID:
            assert expiry.value == 0
            assert (payment.status, payment.settles_order, refunds) == ("captured", True, [])
            outcomes.append("paid")
        else:
            assert expiry.value == 1
            assert order.status == Order.Status.CANCELLED
            assert (payment.status, payment.settles_order, payment.refunded_amount) == (
                "refunded",
                False,
                RU_TOTAL.amount,
            )
            assert refunds == [("duplicate_capture", "succeeded")]
            outcomes.append("expired")
    paid = outcomes.count("paid")
    # the stock went back for the expired orders only
    assert Offer.objects.get(id=market.offer_ru.id).stock_quantity == STOCK - 2 * paid
    assert SandboxRefund.objects.count() == rounds - paid
    assert (
        get_balance(purpose="escrow", party=party_for_seller(market.seller_ru.id), currency="RUB")
        == RU_TOTAL * paid
    )
    _clearing_matches_rows("RUB")
    assert verify_ledger().violations == []


def test_two_refunds_of_sixty_percent_at_once_one_is_refused(market):
    # given a paid parcel of 2769.04 RUB
    order, seller_order = _paid_rouble_order(market)
    sixty_percent = Decimal("1661.42")

    # when two operators refund 60 % each at the same moment
    outcomes = run_together(
        [
            lambda: refund_by_operator(
                seller_order_public_id=seller_order.public_id,
                reason="damaged",
                actor=market.operator,
                amount=sixty_percent,
            )
        ]
        * 2
    )

    # then exactly one refund is made; the other is refused and changed nothing
    codes = sorted(outcome.code for outcome in outcomes)
    assert codes == ["", "refund_exceeds_payment"], [repr(outcome.error) for outcome in outcomes]
    (refund,) = Refund.objects.all()
    assert (refund.amount, refund.status) == (sixty_percent, "succeeded")
    payment = Payment.objects.get(order=order)
    assert (payment.refunded_amount, payment.status) == (sixty_percent, "partially_refunded")
    assert SandboxRefund.objects.count() == 1
    assert get_balance(
        purpose="escrow",
        party=party_for_seller(market.seller_ru.id),
        currency="RUB",
        reference=seller_order_reference(seller_order.id),
    ) == RU_TOTAL - Money(sixty_percent, "RUB")
    _clearing_matches_rows("RUB")
    assert verify_ledger().violations == []


def test_release_racing_a_refund_keeps_the_ledger_whichever_wins(market, monkeypatch):
    # given delivered parcels whose protection window is over (several rounds)
    rounds = 4
    parcels = []
    for _ in range(rounds):
        _order, seller_order = _paid_rouble_order(market)
        ship_seller_order(
            seller=market.seller_ru,
            seller_order_public_id=seller_order.public_id,
            carrier="Caravan Post",
            tracking_number=f"RA{seller_order.id}",
            actor=market.owner_ru,
        )
        confirm_delivery(buyer=market.buyer, seller_order_public_id=seller_order.public_id)
        parcels.append(seller_order)
    move_clock(monkeypatch, by=timedelta(days=16))
    refund_amount = Decimal("1000.00")
    expected_available = Decimal(0)
    for index, seller_order in enumerate(parcels):
        # when the release job and an operator's refund run at once (or one a few
        # milliseconds ahead, so that each wins some rounds)
        release_delay, refund_delay = [(0.0, 0.0), (0.0, 0.03), (0.03, 0.0)][index % 3]

        def release_job(item: SellerOrder = seller_order, delay: float = release_delay) -> bool:
            time.sleep(delay)
            return release_seller_order(seller_order_id=item.id)

        def operator_refund(
            item: SellerOrder = seller_order, delay: float = refund_delay
        ) -> Refund:
            time.sleep(delay)
            return refund_by_operator(
                seller_order_public_id=item.public_id,
                reason="damaged",
                actor=market.operator,
                amount=refund_amount,
            )

        release, refund = run_together([release_job, operator_refund])

        # then both succeed, and the refund came out of escrow or out of the payable
        assert (release.error, refund.error, release.value) == (None, None, True)
        made = Refund.objects.get(id=refund.value.id)  # type: ignore[union-attr]
        item = SellerOrder.objects.get(id=seller_order.id)
        total, commission = item.total, item.commission
        assert made.seller_money == Money(refund_amount, "RUB")  # one currency: no FX
        if made.after_release:
            # released whole, then clawed back less its share of the commission
            returned = proportion(commission, made.seller_amount, total.amount)
            assert made.commission_returned_amount == returned.amount
            expected_available += (total - commission - made.seller_money + returned).amount
        else:
            # refunded out of escrow, the rest released less a proportional commission
            released = total - made.seller_money
            taken = proportion(commission, released.amount, total.amount)
            assert made.commission_returned_amount == 0
            expected_available += (released - taken).amount
        assert get_balance(
            purpose="escrow",
            party=party_for_seller(market.seller_ru.id),
            currency="RUB",
            reference=seller_order_reference(seller_order.id),
        ) == Money(0, "RUB")
    (balance,) = seller_balances(seller_id=market.seller_ru.id)
    assert (balance.available, balance.in_escrow, balance.receivable) == (
        Money(expected_available, "RUB"),
        Money(0, "RUB"),
        Money(0, "RUB"),
    )
    assert JournalEntry.objects.filter(kind="release").count() == rounds
    _clearing_matches_rows("RUB")
    assert verify_ledger().violations == []


def _twenty_checkouts(market: ProofMarket, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:  # type: ignore[type-arg]
    """The same checkout (one cart, one key) sent twenty times at once, the provider's
    create_payment calls counted."""
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])
    calls: list[str] = []
    lock = threading.Lock()
    original = SandboxGateway.create_payment

    def counted(self, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            calls.append(kwargs["idempotency_key"])
        return original(self, **kwargs)

    monkeypatch.setattr(SandboxGateway, "create_payment", counted)
    outcomes = run_together(
        [
            lambda: check_out_cart(
                user=market.buyer, address=market.address, cart=cart, key="double-click"
            )
        ]
        * 20
    )
    assert [outcome.error for outcome in outcomes] == [None] * 20
    return [outcome.value for outcome in outcomes], calls


def test_twenty_checkouts_with_one_key_place_one_order_and_one_provider_payment(
    market, monkeypatch
):
    results, calls = _twenty_checkouts(market, monkeypatch)

    # one order and one payment exist, the others replayed the first answer
    assert Order.objects.count() == 1
    (payment,) = Payment.objects.all()
    assert {result.order.id for result in results} == {payment.order_id}
    assert {result.payment.id for result in results} == {payment.id}
    assert sorted(result.replayed for result in results) == [False] + [True] * 19
    assert Offer.objects.get(id=market.offer_ru.id).stock_quantity == STOCK - 2
    # one provider payment: every call carried the payment's id as idempotency key
    (session,) = SandboxSession.objects.all()
    assert session.idempotency_key == payment.public_id
    assert set(calls) == {payment.public_id}


def test_twenty_checkouts_with_one_key_call_the_provider_once(market, monkeypatch):
    _results, calls = _twenty_checkouts(market, monkeypatch)

    assert len(calls) == 1, f"the provider was called {len(calls)} times"


def test_two_tabs_captured_at_once_pay_the_order_once(market):
    # given a pending order with two payment sessions (two browser tabs), both paid at the
    # provider
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])
    first = check_out_cart(user=market.buyer, address=market.address, cart=cart).payment
    with transaction.atomic():
        second = create_payment(order=Order.objects.get(id=first.order_id))
    second = open_session(payment=second, return_url="/orders/").payment
    for payment in (first, second):
        set_session_status(payment, SandboxSession.Status.APPROVED)

    # when both notifications arrive at once
    outcomes = run_together(
        [
            lambda payment=payment: deliver_event(
                session_reference=payment.provider_reference, approved=True
            )
            for payment in (first, second)
        ]
    )

    # then one payment paid the order and the other was refunded in full
    assert [(outcome.error, outcome.value) for outcome in outcomes] == [(None, True)] * 2
    rows = sorted(
        Payment.objects.values_list("settles_order", "status", "refunded_amount"),
        key=lambda row: row[0],
    )
    assert rows == [(False, "refunded", RU_TOTAL.amount), (True, "captured", Decimal("0.00"))]
    assert Order.objects.get(id=first.order_id).status == Order.Status.PAID
    assert SandboxRefund.objects.get().amount == RU_TOTAL.amount
    assert JournalEntry.objects.filter(kind="capture").count() == 1
    assert JournalEntry.objects.filter(kind="duplicate_capture").count() == 1
    _clearing_matches_rows("RUB")
    assert verify_ledger().violations == []


def test_a_cancellation_racing_the_shipment_has_one_outcome(market):
    rounds = 4
    for index in range(rounds):
        # given a paid parcel
        _order, seller_order = _paid_rouble_order(market)
        cancel_delay, ship_delay = [(0.0, 0.0), (0.0, 0.03), (0.03, 0.0)][index % 3]

        def cancel(item: SellerOrder = seller_order, delay: float = cancel_delay) -> object:
            time.sleep(delay)
            return cancel_by_buyer(buyer=market.buyer, seller_order_public_id=item.public_id)

        def ship(item: SellerOrder = seller_order, delay: float = ship_delay) -> object:
            time.sleep(delay)
            return ship_seller_order(
                seller=market.seller_ru,
                seller_order_public_id=item.public_id,
                carrier="Caravan Post",
                tracking_number=f"RA{item.id}",
                actor=market.owner_ru,
            )

        # when the buyer cancels while the seller ships
        cancelled, shipped = run_together([cancel, ship])

        # then it is either cancelled and refunded in full, or shipped and not refunded
        item = SellerOrder.objects.get(id=seller_order.id)
        refunds = list(Refund.objects.filter(seller_order=item).values_list("amount", "status"))
        if item.status == SellerOrder.Status.CANCELLED:
            assert (cancelled.error, shipped.code) == (None, "invalid_transition")
            assert refunds == [(RU_TOTAL.amount, "succeeded")]
        else:
            assert item.status == SellerOrder.Status.SHIPPED
            assert (cancelled.code, shipped.error) == ("not_cancellable", None)
            assert refunds == []
    cancelled_count = SellerOrder.objects.filter(status=SellerOrder.Status.CANCELLED).count()
    assert Offer.objects.get(id=market.offer_ru.id).stock_quantity == STOCK - 2 * (
        rounds - cancelled_count
    )
    _clearing_matches_rows("RUB")
    assert verify_ledger().violations == []


def test_a_refund_sent_twice_at_once_is_paid_back_once(market, monkeypatch):
    # given a cancellation whose refund the provider could not take (HTTP 500)
    _order, seller_order = _paid_rouble_order(market)

    def unavailable(self, **kwargs):  # type: ignore[no-untyped-def]
        raise ProviderUnavailable("sandbox: HTTP 500")

    with monkeypatch.context() as patch:
        patch.setattr(SandboxGateway, "refund", unavailable)
        refund = cancel_by_buyer(buyer=market.buyer, seller_order_public_id=seller_order.public_id)
    assert Refund.objects.get(id=refund.id).status == "pending"

    # when the retry job and a worker redelivering the task send it at the same moment
    outcomes = run_together([lambda: send_refund(refund_id=refund.id)] * 2)

    # then the provider refunded once and the ledger moved the money once
    assert [outcome.error for outcome in outcomes] == [None, None]
    assert Refund.objects.get(id=refund.id).status == "succeeded"
    assert SandboxRefund.objects.count() == 1
    assert JournalEntry.objects.filter(kind="refund_sent").count() == 1
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == Money(
        0, "RUB"
    )
    _clearing_matches_rows("RUB")
    assert verify_ledger().violations == []
