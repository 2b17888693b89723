"""What the provider's answers do to an order: capture, decline, expiry, a late or second
capture (refunded in full), a provider that cannot be reached, a crash between its charge and
our commit. Every scenario ends with the ledger balanced."""

from datetime import timedelta

import pytest
from django.conf import settings
from tests.factories import (
    check_out_cart,
    deliver_event,
    fill_cart,
    move_clock,
    place_cart_order,
)

from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition
from caravan.kernel.money import Money
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import PLATFORM
from caravan.ledger.verify import verify_ledger
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.orders.models import Order, OrderEvent
from caravan.payments.gateways.base import ProviderUnavailable
from caravan.payments.models import (
    Payment,
    ProviderEvent,
    Refund,
    SandboxRefund,
    SandboxSession,
)
from caravan.payments.sandbox import SandboxGateway, resolve_session
from caravan.payments.services import (
    create_payment,
    expire_unpaid_orders,
    move_payment,
    open_session,
    pay_order,
)

# 2 x 2500 + 300 RUB, and 8 x 150 + 25 CNY at 12.50 x 1.015: 8 x 1903.13 + 317.19 RUB
TOTAL = Money("20842.23", "RUB")


def checkout(market, *, key=None):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 8)])
    return check_out_cart(user=market.buyer, address=market.address, cart=cart, key=key)


@pytest.fixture
def pending(market):
    """Two units from the Moscow seller and all eight from the Shenzhen seller, unpaid, the
    buyer on the sandbox's page."""
    result = checkout(market)
    return result.order, result.payment


def deliver(payment, *, approved, event_id=None):
    return deliver_event(
        session_reference=payment.provider_reference, approved=approved, event_id=event_id
    )


def state(order):
    return (
        Order.objects.get(id=order.id).status,
        list(
            Payment.objects.filter(order=order)
            .order_by("id")
            .values_list("status", "failure_reason")
        ),
        list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)),
        list(order.seller_orders.order_by("id").values_list("status", flat=True)),
        OrderEvent.objects.filter(order=order).count(),
    )


def best_offer_of(market):
    return ProductOfferSummary.objects.get(product=market.product).best_offer


def session_of(payment):
    return SandboxSession.objects.get(reference=payment.provider_reference)


def test_checking_out_took_the_stock_and_moved_the_summary(
    market, django_capture_on_commit_callbacks
):
    # the listing rows catch up after commit
    with django_capture_on_commit_callbacks(execute=True):
        result = checkout(market)
    order, payment = result.order, result.payment

    assert state(order)[2] == [3, 0]
    assert best_offer_of(market) == market.offer_ru
    assert payment.money == TOTAL == order.total


def test_a_decline_leaves_the_order_payable_with_its_stock_reserved(pending):
    order, payment = pending

    assert deliver(payment, approved=False) is True

    assert state(order) == (
        "pending_payment",
        [("failed", "card_declined")],
        [3, 0],
        ["pending_payment", "pending_payment"],
        3,
    )
    assert list(payment.events.order_by("id").values_list("from_status", "to_status")) == [
        ("", "pending"),
        ("pending", "failed"),
    ]


def test_a_second_decline_is_harmless(pending):
    order, payment = pending
    deliver(payment, approved=False)
    after_first = state(order)

    assert deliver(payment, approved=False) is True

    assert state(order) == after_first
    assert ProviderEvent.objects.count() == 2


def test_a_second_success_is_harmless(pending):
    order, payment = pending
    deliver(payment, approved=True)
    after_first = state(order)

    assert deliver(payment, approved=True) is True

    assert (
        state(order)
        == after_first
        == ("paid", [("captured", "")], [3, 0], ["awaiting_shipment", "awaiting_shipment"], 6)
    )
    assert Refund.objects.count() == 0
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == TOTAL
    assert verify_ledger().ok


def test_a_decline_after_a_success_does_not_undo_the_payment(pending):
    order, payment = pending
    deliver(payment, approved=True)
    after_success = state(order)

    deliver(payment, approved=False)

    assert state(order) == after_success
    assert ProviderEvent.objects.count() == 2
    assert verify_ledger().ok


def test_unpaid_orders_expire_after_the_deadline(
    market, pending, monkeypatch, django_capture_on_commit_callbacks
):
    order, payment = pending
    move_clock(monkeypatch, by=timedelta(minutes=settings.PAYMENT_DEADLINE_MINUTES, seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_unpaid_orders() == 1

    assert state(order) == (
        "cancelled",
        [("expired", "deadline passed")],
        [5, 8],
        ["cancelled", "cancelled"],
        6,
    )
    assert best_offer_of(market) == market.offer_cn
    # the provider's session is closed after commit: the buyer cannot pay it any more
    assert session_of(payment).status == SandboxSession.Status.CANCELED
    assert expire_unpaid_orders() == 0


def test_nothing_expires_before_the_deadline(pending, monkeypatch):
    order, _payment = pending
    before = state(order)
    move_clock(monkeypatch, by=timedelta(minutes=settings.PAYMENT_DEADLINE_MINUTES - 1))

    assert expire_unpaid_orders() == 0

    assert state(order) == before


def test_a_paid_order_does_not_expire(pending, monkeypatch):
    order, payment = pending
    deliver(payment, approved=True)
    before = state(order)
    move_clock(monkeypatch, by=timedelta(days=1))

    assert expire_unpaid_orders() == 0

    assert state(order) == before


def test_a_capture_after_expiry_is_refunded_in_full_and_the_order_stays_cancelled(
    pending, monkeypatch, django_capture_on_commit_callbacks
):
    order, payment = pending
    # The buyer approved at the provider just before the deadline; its notification is late.
    SandboxSession.objects.filter(reference=payment.provider_reference).update(
        status=SandboxSession.Status.APPROVED, resolved_at=now()
    )
    move_clock(monkeypatch, by=timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        expire_unpaid_orders()
    events_before = OrderEvent.objects.filter(order=order).count()

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(payment, approved=True) is True

    assert state(order) == (
        "cancelled",
        [("refunded", "deadline passed")],
        [5, 8],
        ["cancelled", "cancelled"],
        events_before,
    )
    assert Order.objects.get(id=order.id).paid_at is None
    refund = Refund.objects.get()
    assert (refund.kind, refund.status, refund.money, refund.seller_order) == (
        Refund.Kind.DUPLICATE_CAPTURE,
        Refund.Status.SUCCEEDED,
        TOTAL,
        None,
    )
    paid_back = SandboxRefund.objects.get()
    assert (paid_back.session.reference, paid_back.amount) == (
        payment.provider_reference,
        TOTAL.amount,
    )
    assert list(
        Payment.objects.get(id=payment.id).events.order_by("id").values_list("to_status", flat=True)
    ) == ["pending", "expired", "captured", "refunded"]
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == Money(
        "0", "RUB"
    )
    assert get_balance(purpose="refunds_payable", party=PLATFORM, currency="RUB") == Money(
        "0", "RUB"
    )
    assert verify_ledger().ok


def test_a_second_session_captured_on_a_paid_order_is_refunded_automatically(
    pending, django_capture_on_commit_callbacks
):
    # given the order waits on one payment and the buyer opened a second one in another tab
    order, first = pending
    second = create_payment(order=order)
    second = open_session(payment=second, return_url="/elsewhere/").payment
    # the buyer pays the second tab at the provider; its notification is still on its way
    SandboxSession.objects.filter(reference=second.provider_reference).update(
        status=SandboxSession.Status.APPROVED, resolved_at=now()
    )

    # when the first tab is approved, then the second's notification arrives
    with django_capture_on_commit_callbacks(execute=True):
        resolve_session(reference=first.provider_reference, approved=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(second, approved=True) is True

    # then the first paid the order and the second was returned in full
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.settles_order) == (Payment.Status.CAPTURED, True)
    assert (second.status, second.settles_order, second.refunded) == (
        Payment.Status.REFUNDED,
        False,
        TOTAL,
    )
    assert list(second.events.order_by("id").values_list("to_status", flat=True)) == [
        "pending",
        "voided",
        "captured",
        "refunded",
    ]
    refund = Refund.objects.get()
    assert (refund.payment_id, refund.kind, refund.status, refund.money) == (
        second.id,
        Refund.Kind.DUPLICATE_CAPTURE,
        Refund.Status.SUCCEEDED,
        TOTAL,
    )
    assert SandboxRefund.objects.get().session.reference == second.provider_reference
    assert Order.objects.get(id=order.id).status == Order.Status.PAID
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == TOTAL
    assert verify_ledger().ok


def test_an_order_without_a_provider_session_expires_too(market, monkeypatch):
    order = place_cart_order(
        user=market.buyer,
        address=market.address,
        lines=[(market.offer_ru, 1), (market.offer_cn, 1)],
    )
    move_clock(monkeypatch, by=timedelta(hours=1))

    assert expire_unpaid_orders() == 1

    assert state(order)[0::2] == ("cancelled", [5, 8], 6)


def test_approving_on_the_sandbox_page_pays_before_redirecting(client, pending):
    order, payment = pending

    response = client.post(payment.redirect_url, {"decision": "approve"})

    assert response.status_code == 302
    assert response.url == f"/orders/{order.number}/?from=payment"
    # The return page is hit after this response: the order is already paid by then.
    assert state(order)[0:2] == ("paid", [("captured", "")])
    assert session_of(payment).status == "approved"


def test_declining_on_the_sandbox_page_keeps_the_order_and_its_stock(client, pending):
    order, payment = pending

    response = client.post(payment.redirect_url, {"decision": "decline"})

    assert response.status_code == 302
    assert response.url == f"/orders/{order.number}/?from=payment"
    assert state(order)[0::2] == ("pending_payment", [3, 0], 3)
    assert session_of(payment).status == "declined"


def test_a_notification_before_the_buyer_returns_charges_once(client, pending):
    order, payment = pending
    assert deliver(payment, approved=True) is True
    after_webhook = state(order)

    response = client.post(payment.redirect_url, {"decision": "approve"})
    client.post(payment.redirect_url, {"decision": "approve"})

    assert response.status_code == 302
    assert state(order) == after_webhook
    assert list(Payment.objects.filter(order=order).values_list("amount", flat=True)) == [
        TOTAL.amount
    ]
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert Refund.objects.count() == 0
    assert verify_ledger().ok


def test_an_order_paid_while_expiry_runs_is_skipped_and_the_rest_expire(
    market, pending, monkeypatch
):
    paid_order, payment = pending
    late_order = place_cart_order(
        user=market.buyer, address=market.address, lines=[(market.offer_ru, 1)]
    )
    move_clock(monkeypatch, by=timedelta(hours=1))
    deliver(payment, approved=True)
    paid_before = state(paid_order)
    # The expiry read its list before the webhook's commit: the paid order is still on it.
    monkeypatch.setattr(
        "caravan.payments.services.list_expired_unpaid_order_ids",
        lambda *, before: [paid_order.id, late_order.id],
    )

    assert expire_unpaid_orders() == 1

    assert state(paid_order)[0:2] == paid_before[0:2] == ("paid", [("captured", "")])
    assert state(paid_order)[3:] == paid_before[3:]
    assert Order.objects.get(id=late_order.id).status == "cancelled"
    assert list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)) == [3, 0]


# --- paying again ---


def test_paying_a_pending_order_again_reuses_its_open_payment(pending):
    order, payment = pending

    opened = pay_order(order=order, return_url="/orders/again/")

    assert opened.payment.id == payment.id
    assert opened.redirect_url == payment.redirect_url
    assert Payment.objects.filter(order=order).count() == 1
    assert SandboxSession.objects.count() == 1


def test_paying_again_after_an_ended_attempt_opens_a_new_payment(pending):
    # given the only attempt ended (failed at the provider) while the order still waits
    order, payment = pending
    move_payment(payment, Payment.Status.FAILED, note="card_declined")
    payment.save(update_fields=["status"])

    opened = pay_order(order=order, return_url="/orders/again/")

    assert opened.payment.id != payment.id
    assert opened.payment.status == Payment.Status.PENDING
    assert opened.payment.money == TOTAL
    assert opened.redirect_url == f"/sandbox/pay/{opened.payment.provider_reference}/"
    assert SandboxSession.objects.count() == 2
    assert list(
        Payment.objects.filter(order=order).order_by("id").values_list("status", flat=True)
    ) == ["failed", "pending"]


def test_a_paid_order_cannot_be_paid_again(pending):
    order, payment = pending
    deliver(payment, approved=True)

    with pytest.raises(InvalidTransition) as caught:
        pay_order(order=order, return_url="/orders/again/")

    assert caught.value.code == "order_not_payable"
    assert Payment.objects.filter(order=order).count() == 1
    assert SandboxSession.objects.count() == 1


# --- a provider that cannot be reached, a crash between its charge and our commit ---


def unreachable(self, **kwargs):
    raise ProviderUnavailable("sandbox: timed out")


def test_a_provider_out_of_reach_leaves_the_payment_pending_and_a_retry_opens_one_session(
    market, monkeypatch
):
    # given the provider cannot be reached at checkout
    with monkeypatch.context() as patch:
        patch.setattr(SandboxGateway, "create_payment", unreachable)
        first = checkout(market, key="checkout-key-1")

    # then the order waits with its payment pending, without a session
    assert first.redirect_url == ""
    assert first.provider_error == "sandbox: timed out"
    assert (first.payment.status, first.payment.provider_reference) == ("pending", "")
    assert SandboxSession.objects.count() == 0
    assert first.order.status == Order.Status.PENDING_PAYMENT

    # when the buyer retries with the same key (the cart is empty now), the provider answers
    again = check_out_cart(
        user=market.buyer, address=market.address, cart=market.buyer.cart, key="checkout-key-1"
    )

    # then the same order and payment get one session
    assert (again.replayed, again.order.id, again.payment.id) == (
        True,
        first.order.id,
        first.payment.id,
    )
    session = SandboxSession.objects.get()
    assert again.redirect_url == f"/sandbox/pay/{session.reference}/"
    assert Payment.objects.get(id=first.payment.id).provider_reference == session.reference
    assert Order.objects.count() == 1


def test_a_timeout_after_the_provider_created_the_payment_gets_the_same_one_back(
    market, monkeypatch
):
    # given the provider created the payment but its answer was lost
    real = SandboxGateway.create_payment

    def lost_answer(self, **kwargs):
        real(self, **kwargs)
        raise ProviderUnavailable("sandbox: read timed out")

    with monkeypatch.context() as patch:
        patch.setattr(SandboxGateway, "create_payment", lost_answer)
        first = checkout(market)

    # when the buyer presses Pay
    opened = pay_order(order=first.order, return_url="/orders/again/")

    # then the provider's idempotency key gave back its first payment: one session
    session = SandboxSession.objects.get()
    assert opened.payment.id == first.payment.id
    assert opened.payment.provider_reference == session.reference
    assert session.idempotency_key == first.payment.public_id
