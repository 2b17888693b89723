"""A declined attempt is not the end of the order: it stays payable (stock reserved) until its
deadline, "pay again" opens a new attempt for the same amount, a later success captures once,
and an order that ends unpaid (deadline, or the buyer starting over) gives the cart back."""

from datetime import timedelta

import pytest
from django.conf import settings

from caravan.cart.models import CartLine
from caravan.kernel.errors import InvalidTransition
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import PLATFORM
from caravan.ledger.verify import verify_ledger
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderEvent
from caravan.payments.failures import describe_failure
from caravan.payments.models import Payment, Refund, SandboxSession
from caravan.payments.services import (
    cancel_unpaid_order_by_buyer,
    expire_unpaid_orders,
    pay_order,
)
from tests.factories import check_out_cart, deliver_event, fill_cart, move_clock

# 2 x 2500 + 300 RUB, and 8 x 150 + 25 CNY at 12.50 x 1.015: 8 x 1903.13 + 317.19 RUB
TOTAL = Money("20842.23", "RUB")


@pytest.fixture
def declined(market):
    """Two units from the Moscow seller and all eight from the Shenzhen seller; the buyer's
    card was declined at the sandbox."""
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 8)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    assert deliver_event(session_reference=result.payment.provider_reference, approved=False)
    return result.order, Payment.objects.get(id=result.payment.id)


def stocks():
    return list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True))


def attempts(order):
    return list(
        Payment.objects.filter(order=order)
        .order_by("id")
        .values_list("status", "failure_reason", "currency", "amount")
    )


def cart_of(market):
    return list(
        CartLine.objects.filter(cart__user=market.buyer)
        .order_by("offer_id")
        .values_list("offer_id", "quantity")
    )


def test_pay_again_opens_a_new_attempt_for_the_same_amount(declined):
    order, first = declined

    opened = pay_order(order=order, return_url="/orders/again/")

    assert opened.payment.id != first.id
    assert opened.payment.money == first.money == order.total == TOTAL
    assert opened.redirect_url == f"/sandbox/pay/{opened.payment.provider_reference}/"
    session = SandboxSession.objects.get(reference=opened.payment.provider_reference)
    assert (session.currency, session.amount, session.merchant_reference) == (
        "RUB",
        TOTAL.amount,
        opened.payment.public_id,
    )
    assert attempts(order) == [
        ("failed", "card_declined", "RUB", TOTAL.amount),
        ("pending", "", "RUB", TOTAL.amount),
    ]
    assert Order.objects.get(id=order.id).status == "pending_payment"


def test_a_double_click_on_pay_again_opens_one_attempt(declined):
    order, _first = declined

    one = pay_order(order=order, return_url="/orders/again/")
    two = pay_order(order=order, return_url="/orders/again/")

    assert two.payment.id == one.payment.id
    assert two.redirect_url == one.redirect_url
    assert Payment.objects.filter(order=order).count() == 2
    assert SandboxSession.objects.count() == 2


def test_a_success_on_the_second_attempt_captures_once(
    market, declined, django_capture_on_commit_callbacks
):
    order, _first = declined
    second = pay_order(order=order, return_url="/orders/again/").payment

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_event(session_reference=second.provider_reference, approved=True)

    order.refresh_from_db()
    assert order.status == "paid"
    assert [item.status for item in order.seller_orders.order_by("id")] == [
        "awaiting_shipment",
        "awaiting_shipment",
    ]
    assert attempts(order) == [
        ("failed", "card_declined", "RUB", TOTAL.amount),
        ("captured", "", "RUB", TOTAL.amount),
    ]
    assert Payment.objects.get(id=second.id).settles_order is True
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert JournalEntry.objects.filter(key=f"capture:{second.public_id}").count() == 1
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == TOTAL
    assert stocks() == [3, 0]
    assert cart_of(market) == []
    assert verify_ledger().ok


def test_a_late_capture_of_the_declined_attempt_after_the_retry_paid_is_refunded(
    declined, django_capture_on_commit_callbacks
):
    # given the retry paid the order
    order, first = declined
    second = pay_order(order=order, return_url="/orders/again/").payment
    with django_capture_on_commit_callbacks(execute=True):
        deliver_event(session_reference=second.provider_reference, approved=True)

    # when the provider reports, late, that the first attempt was captured after all
    SandboxSession.objects.filter(reference=first.provider_reference).update(status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_event(session_reference=first.provider_reference, approved=True)

    # then the order is paid once and the first attempt is returned in full
    assert [row[0] for row in attempts(order)] == ["refunded", "captured"]
    refund = Refund.objects.get()
    assert (refund.payment_id, refund.kind, refund.status, refund.money) == (
        first.id,
        Refund.Kind.DUPLICATE_CAPTURE,
        Refund.Status.SUCCEEDED,
        TOTAL,
    )
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == TOTAL
    assert verify_ledger().ok


def test_a_capture_of_the_retry_voids_another_open_attempt(
    declined, django_capture_on_commit_callbacks
):
    # given two open attempts after the decline (a second tab that found none open yet)
    order, _first = declined
    second = pay_order(order=order, return_url="/orders/again/").payment
    third = Payment.objects.create(
        order=order, provider="sandbox", currency="RUB", amount=TOTAL.amount
    )

    with django_capture_on_commit_callbacks(execute=True):
        deliver_event(session_reference=second.provider_reference, approved=True)

    assert [row[0] for row in attempts(order)] == ["failed", "captured", "voided"]
    assert Payment.objects.get(id=third.id).settles_order is False


def test_a_declined_order_is_cancelled_at_its_deadline_and_the_cart_comes_back(
    market, declined, monkeypatch, django_capture_on_commit_callbacks
):
    order, _first = declined
    assert stocks() == [3, 0]
    assert cart_of(market) == []
    move_clock(monkeypatch, by=timedelta(minutes=settings.PAYMENT_DEADLINE_MINUTES, seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_unpaid_orders() == 1

    assert Order.objects.get(id=order.id).status == "cancelled"
    assert attempts(order) == [("failed", "card_declined", "RUB", TOTAL.amount)]
    assert stocks() == [5, 8]
    assert cart_of(market) == [(market.offer_ru.id, 2), (market.offer_cn.id, 8)]
    with pytest.raises(InvalidTransition) as caught:
        pay_order(order=order, return_url="/orders/again/")
    assert caught.value.code == "order_not_payable"


def test_the_buyer_starts_over_the_open_attempt_is_voided_and_the_cart_comes_back(
    market, declined, django_capture_on_commit_callbacks
):
    order, _first = declined
    second = pay_order(order=order, return_url="/orders/again/").payment

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = cancel_unpaid_order_by_buyer(order=order)

    assert cancelled.status == "cancelled"
    assert attempts(order) == [
        ("failed", "card_declined", "RUB", TOTAL.amount),
        ("voided", "cancelled by the buyer", "RUB", TOTAL.amount),
    ]
    # the open session at the provider is closed: it cannot be paid any more
    assert SandboxSession.objects.get(reference=second.provider_reference).status == "canceled"
    assert stocks() == [5, 8]
    assert cart_of(market) == [(market.offer_ru.id, 2), (market.offer_cn.id, 8)]
    assert list(
        OrderEvent.objects.filter(order=order, seller_order=None).values_list("to_status", "note")
    ) == [("pending_payment", "placed"), ("cancelled", "cancelled by the buyer")]


def test_starting_over_twice_returns_the_items_once(
    market, declined, django_capture_on_commit_callbacks
):
    order, _first = declined
    with django_capture_on_commit_callbacks(execute=True):
        cancel_unpaid_order_by_buyer(order=order)

    with django_capture_on_commit_callbacks(execute=True):
        again = cancel_unpaid_order_by_buyer(order=order)

    assert again.status == "cancelled"
    assert cart_of(market) == [(market.offer_ru.id, 2), (market.offer_cn.id, 8)]
    assert stocks() == [5, 8]


def test_a_paid_order_cannot_be_cancelled_by_starting_over(declined):
    order, _first = declined
    second = pay_order(order=order, return_url="/orders/again/").payment
    deliver_event(session_reference=second.provider_reference, approved=True)

    with pytest.raises(InvalidTransition) as caught:
        cancel_unpaid_order_by_buyer(order=order)

    assert caught.value.code == "order_not_payable"
    assert Order.objects.get(id=order.id).status == "paid"
    assert stocks() == [3, 0]


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("card_declined", "Your bank declined the card."),
        ("payment_network:insufficient_funds", "There was not enough money on the card."),
        (
            "yoo_money:expired_on_confirmation",
            "The payment was not completed on the payment page in time.",
        ),
        ("expired", "The payment was not completed on the payment page in time."),
        ("something_new", "The payment provider declined the payment."),
        ("", "The payment provider declined the payment."),
    ],
)
def test_a_failure_reason_reads_in_plain_words(reason, words):
    assert describe_failure(reason) == words
