"""Faults between Caravan and the payment provider (issue "Proof", part 3): a provider out of
reach when the payment is opened or refunded, a process that dies between the provider's
charge and our commit, a notification that never arrives. Whatever happens, nobody is
charged twice and every figure is explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from caravan.finance.reconciliation import reconcile
from caravan.finance.services import cancel_by_buyer
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import PLATFORM
from caravan.ledger.verify import verify_ledger
from caravan.offers.models import Offer
from caravan.orders.models import Order, SellerOrder
from caravan.payments.gateways.base import ProviderUnavailable
from caravan.payments.models import (
    Payment,
    PaymentAnomaly,
    Refund,
    SandboxRefund,
    SandboxSession,
)
from caravan.payments.refunds import RETRY_AFTER, retry_refunds
from caravan.payments.sandbox import SandboxGateway, resolve_session
from caravan.payments.services import expire_unpaid_orders, pay_order
from tests.factories import check_out_cart, deliver_event, fill_cart, move_clock

from .helpers import ProofMarket, build_proof_market, capture_at_provider, on_commit_executed

pytestmark = pytest.mark.django_db

# 2 x 1234.57 + 299.90 delivery, in roubles
RU_TOTAL = Money("2769.04", "RUB")


@pytest.fixture
def market() -> ProofMarket:
    return build_proof_market()


def _rouble_cart(market: ProofMarket):  # type: ignore[no-untyped-def]
    return fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])


def _charges() -> list[tuple[str, int, list[str]]]:
    """Per order: its status, how many payments settle it, and the status of every other
    captured payment (each must be refunded in full)."""
    found = []
    for order in Order.objects.order_by("id"):
        payments = list(order.payments.order_by("id"))
        settling = sum(payment.settles_order for payment in payments)
        others = [
            f"{payment.status} {payment.refunded_amount}/{payment.amount}"
            for payment in payments
            if not payment.settles_order and payment.status in {"captured", "refunded"}
        ]
        found.append((order.status, settling, others))
    return found


def test_provider_timeout_on_create_leaves_the_order_waiting_and_pay_opens_one_session(
    market, monkeypatch
):
    # given the provider times out when the payment is created
    def timeout(self, **kwargs):  # type: ignore[no-untyped-def]
        raise ProviderUnavailable("sandbox: read timed out")

    with monkeypatch.context() as patch:
        patch.setattr(SandboxGateway, "create_payment", timeout)
        result = check_out_cart(
            user=market.buyer, address=market.address, cart=_rouble_cart(market)
        )

    # then the order is saved, its payment pending without a provider session, nobody charged
    assert result.provider_error == "sandbox: read timed out"
    assert result.redirect_url == ""
    order, payment = result.order, result.payment
    payment.refresh_from_db()
    assert (order.status, order.total) == (Order.Status.PENDING_PAYMENT, RU_TOTAL)
    assert (payment.status, payment.provider_reference, payment.redirect_url) == ("pending", "", "")
    assert SandboxSession.objects.count() == 0
    assert JournalEntry.objects.count() == 0

    # when the buyer presses Pay (twice: a double click), the provider answers this time
    first = pay_order(order=order, return_url="/orders/")
    second = pay_order(order=order, return_url="/orders/")

    # then one provider session exists, for the same payment, with the payment's public id as
    # the provider's idempotency key
    (session,) = SandboxSession.objects.all()
    assert (first.payment.id, second.payment.id) == (payment.id, payment.id)
    assert first.redirect_url == second.redirect_url != ""
    assert (session.idempotency_key, session.merchant_reference) == (
        payment.public_id,
        payment.public_id,
    )
    assert session.money == RU_TOTAL
    assert Payment.objects.filter(order=order).count() == 1

    # and the buyer pays once
    with on_commit_executed():
        resolve_session(reference=session.reference, approved=True)
    payment.refresh_from_db()
    assert (payment.status, payment.settles_order) == ("captured", True)
    assert _charges() == [(Order.Status.PAID, 1, [])]
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == RU_TOTAL
    assert verify_ledger().ok


def test_a_checkout_replayed_after_a_provider_timeout_opens_one_session(market, monkeypatch):
    # given a checkout whose provider call timed out
    cart = _rouble_cart(market)
    with monkeypatch.context() as patch:
        patch.setattr(
            SandboxGateway,
            "create_payment",
            lambda self, **kwargs: (_ for _ in ()).throw(ProviderUnavailable("timeout")),
        )
        first = check_out_cart(user=market.buyer, address=market.address, cart=cart, key="k-1")

    # when the browser repeats the request with the same key, twice
    again = check_out_cart(user=market.buyer, address=market.address, cart=cart, key="k-1")
    third = check_out_cart(user=market.buyer, address=market.address, cart=cart, key="k-1")

    # then it is the same order and payment, and the provider holds one session for it
    assert first.provider_error == "timeout"
    assert (again.replayed, third.replayed) == (True, True)
    assert again.order.id == third.order.id == first.order.id
    assert again.payment.id == third.payment.id == first.payment.id
    assert again.redirect_url == third.redirect_url != ""
    assert SandboxSession.objects.count() == 1
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1


def test_a_refund_the_provider_cannot_take_is_retried_and_sent_once(market, monkeypatch):
    # given a paid order
    with on_commit_executed():
        result = check_out_cart(
            user=market.buyer, address=market.address, cart=_rouble_cart(market)
        )
        capture_at_provider(result.payment)
    seller_order = SellerOrder.objects.get(order=result.order)

    # when the buyer cancels while the provider answers 500 to the refund
    def unavailable(self, **kwargs):  # type: ignore[no-untyped-def]
        raise ProviderUnavailable("sandbox: HTTP 500")

    with monkeypatch.context() as patch, on_commit_executed():
        patch.setattr(SandboxGateway, "refund", unavailable)
        refund = cancel_by_buyer(buyer=market.buyer, seller_order_public_id=seller_order.public_id)

    # then the refund waits: owed to the buyer, still at the provider, nothing sent
    refund.refresh_from_db()
    assert (refund.status, refund.attempts, refund.last_error) == (
        Refund.Status.PENDING,
        1,
        "sandbox: HTTP 500",
    )
    assert refund.money == RU_TOTAL
    assert SandboxRefund.objects.count() == 0
    assert get_balance(purpose="refunds_payable", party=PLATFORM, currency="RUB") == RU_TOTAL
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == RU_TOTAL

    # when the retry job runs before the retry delay, then after it (twice)
    assert retry_refunds() == 0
    move_clock(monkeypatch, by=RETRY_AFTER + timedelta(seconds=1))
    with on_commit_executed():
        sent = retry_refunds()
        sent_again = retry_refunds()

    # then the provider refunded once, and the money left the clearing account once
    refund.refresh_from_db()
    assert (sent, sent_again) == (1, 0)
    assert refund.status == Refund.Status.SUCCEEDED
    (sandbox_refund,) = SandboxRefund.objects.all()
    assert (sandbox_refund.idempotency_key, sandbox_refund.amount) == (
        refund.public_id,
        RU_TOTAL.amount,
    )
    assert get_balance(purpose="refunds_payable", party=PLATFORM, currency="RUB") == Money(0, "RUB")
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == Money(
        0, "RUB"
    )
    assert JournalEntry.objects.filter(kind="refund_sent").count() == 1
    assert verify_ledger().ok


def test_a_refund_whose_answer_was_lost_is_not_paid_twice(market, monkeypatch):
    # given a paid order, and a provider that refunds but whose answer never reaches us
    with on_commit_executed():
        result = check_out_cart(
            user=market.buyer, address=market.address, cart=_rouble_cart(market)
        )
        capture_at_provider(result.payment)
    seller_order = SellerOrder.objects.get(order=result.order)
    original = SandboxGateway.refund

    def lost_answer(self, **kwargs):  # type: ignore[no-untyped-def]
        original(self, **kwargs)
        raise ProviderUnavailable("sandbox: connection reset")

    with monkeypatch.context() as patch, on_commit_executed():
        patch.setattr(SandboxGateway, "refund", lost_answer)
        refund = cancel_by_buyer(buyer=market.buyer, seller_order_public_id=seller_order.public_id)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.PENDING
    assert SandboxRefund.objects.count() == 1

    # when the retry job sends it again with the same idempotency key
    move_clock(monkeypatch, by=RETRY_AFTER + timedelta(seconds=1))
    with on_commit_executed():
        assert retry_refunds() == 1

    # then the provider answers with the first refund: the buyer is paid back once
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert SandboxRefund.objects.count() == 1
    assert refund.provider_reference == SandboxRefund.objects.get().reference
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == Money(
        0, "RUB"
    )
    assert verify_ledger().ok


def test_a_charge_made_before_our_commit_died_is_captured_once(market, monkeypatch):
    # given the provider creates the payment, then our process dies before it records the
    # provider's reference (open_session's second transaction never happens)
    original = SandboxGateway.create_payment

    def charge_then_die(self, **kwargs):  # type: ignore[no-untyped-def]
        original(self, **kwargs)
        raise RuntimeError("worker killed")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError, match="worker killed"):
        patch.setattr(SandboxGateway, "create_payment", charge_then_die)
        check_out_cart(user=market.buyer, address=market.address, cart=_rouble_cart(market))
    payment = Payment.objects.get()
    (session,) = SandboxSession.objects.all()
    assert (payment.status, payment.provider_reference) == ("pending", "")
    assert session.merchant_reference == payment.public_id

    # when, a minute later, the buyer presses Pay on Caravan's page (the provider is asked
    # again with the same idempotency key), then pays, and the provider notifies twice
    move_clock(monkeypatch, by=timedelta(minutes=1))
    opened = pay_order(order=payment.order, return_url="/orders/")
    assert opened.payment.id == payment.id
    assert opened.redirect_url != ""
    assert SandboxSession.objects.count() == 1  # the same idempotency key: the same session
    with on_commit_executed():
        resolve_session(reference=session.reference, approved=True)
        assert deliver_event(session_reference=session.reference, approved=True) is True

    # then the payment is found and captured once; the order is paid once
    payment.refresh_from_db()
    assert (payment.status, payment.settles_order, payment.provider_reference) == (
        "captured",
        True,
        session.reference,
    )
    assert _charges() == [(Order.Status.PAID, 1, [])]
    assert JournalEntry.objects.filter(kind="capture").count() == 1
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == RU_TOTAL

    # and the day reconciles without a mismatch
    report = reconcile(provider="sandbox", day=timezone.localtime(session.created_at).date())
    assert (report.payments_checked, report.mismatches) == (1, [])
    assert PaymentAnomaly.objects.count() == 0
    assert verify_ledger().ok


def test_a_capture_whose_notification_was_lost_is_flagged_by_reconciliation(market):
    # given a payment the provider captured but never told us about
    result = check_out_cart(user=market.buyer, address=market.address, cart=_rouble_cart(market))
    session = SandboxSession.objects.get(reference=result.payment.provider_reference)
    session.status = SandboxSession.Status.APPROVED
    session.resolved_at = timezone.now()
    session.save(update_fields=["status", "resolved_at"])

    # when the day is reconciled, twice
    first = reconcile(provider="sandbox", day=timezone.localdate())
    second = reconcile(provider="sandbox", day=timezone.localdate())

    # then the capture is flagged once for the operator, and nothing was booked for it
    expected = (
        f"captured_not_paid {session.reference}: captured there, not here "
        "(ours pending, theirs succeeded)"
    )
    assert first.mismatches == second.mismatches == [expected]
    (anomaly,) = PaymentAnomaly.objects.all()
    assert (anomaly.kind, anomaly.payment_id, anomaly.provider_reference) == (
        PaymentAnomaly.Kind.CAPTURED_NOT_PAID,
        result.payment.id,
        session.reference,
    )
    assert JournalEntry.objects.count() == 0
    assert _charges() == [(Order.Status.PENDING_PAYMENT, 0, [])]


def test_a_capture_arriving_after_expiry_is_refunded_in_full(market, monkeypatch):
    # given an order whose payment deadline passed: expired, its session cancelled
    with on_commit_executed():
        result = check_out_cart(
            user=market.buyer, address=market.address, cart=_rouble_cart(market)
        )
    move_clock(monkeypatch, by=timedelta(minutes=31))
    with on_commit_executed():
        assert expire_unpaid_orders() == 1
    stock_after_expiry = Offer.objects.get(id=market.offer_ru.id).stock_quantity

    # when the provider captured it anyway (its cancel raced the buyer's payment)
    with on_commit_executed():
        capture_at_provider(result.payment)

    # then the order stays cancelled, the late capture is refunded in full, the stock unmoved
    payment = Payment.objects.get()
    assert (payment.status, payment.settles_order, payment.refunded_amount) == (
        "refunded",
        False,
        RU_TOTAL.amount,
    )
    assert _charges() == [(Order.Status.CANCELLED, 0, ["refunded 2769.04/2769.04"])]
    (refund,) = Refund.objects.all()
    assert (refund.kind, refund.status) == (Refund.Kind.DUPLICATE_CAPTURE, Refund.Status.SUCCEEDED)
    assert SandboxRefund.objects.get().amount == RU_TOTAL.amount
    assert Offer.objects.get(id=market.offer_ru.id).stock_quantity == stock_after_expiry
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == Money(
        0, "RUB"
    )
    assert verify_ledger().ok
