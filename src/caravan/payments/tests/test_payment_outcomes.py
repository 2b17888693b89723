from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from tests.factories import move_clock, place_cart_order, place_market_order, provider_event

from caravan.offers.models import Offer, ProductOfferSummary
from caravan.orders.models import Order, OrderEvent
from caravan.payments.models import Payment, ProviderEvent, SandboxSession
from caravan.payments.services import expire_unpaid_orders, handle_webhook, start_payment


@pytest.fixture
def pending(market):
    """Two units from the Moscow seller and all eight from the Shenzhen seller, unpaid."""
    order = place_market_order(market, quantity_ru=2, quantity_cn=8)
    session = start_payment(order=order, return_url=f"/orders/{order.number}/")
    return order, session


def deliver(session, *, approved, event_id=None):
    body, signature = provider_event(
        session_reference=session.reference, approved=approved, event_id=event_id
    )
    return handle_webhook(body=body, signature=signature)


def state(order):
    return (
        Order.objects.get(id=order.id).status,
        list(
            Payment.objects.filter(order=order)
            .order_by("currency")
            .values_list("status", "failure_reason")
        ),
        list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)),
        list(order.seller_orders.order_by("id").values_list("status", flat=True)),
        OrderEvent.objects.filter(order=order).count(),
    )


def best_offer_of(market):
    return ProductOfferSummary.objects.get(product=market.product).best_offer


def test_placing_took_the_stock_and_moved_the_summary(market, pending):
    assert state(pending[0])[2] == [3, 0]
    assert best_offer_of(market) == market.offer_ru


def test_a_decline_cancels_the_order_and_releases_the_stock(market, pending):
    order, session = pending

    assert deliver(session, approved=False) is True

    assert state(order) == (
        "cancelled",
        [("failed", "card_declined"), ("failed", "card_declined")],
        [5, 8],
        ["cancelled", "cancelled"],
        6,
    )
    assert best_offer_of(market) == market.offer_cn
    assert list(
        OrderEvent.objects.filter(order=order, seller_order=None)
        .order_by("id")
        .values_list("from_status", "to_status", "note")
    ) == [
        ("", "pending_payment", "placed"),
        ("pending_payment", "cancelled", "payment failed: card_declined"),
    ]


def test_a_second_decline_is_harmless(pending):
    order, session = pending
    deliver(session, approved=False)
    after_first = state(order)

    assert deliver(session, approved=False) is True

    assert state(order) == after_first
    assert ProviderEvent.objects.count() == 2


def test_a_second_success_is_harmless(pending):
    order, session = pending
    deliver(session, approved=True)
    after_first = state(order)

    assert deliver(session, approved=True) is True

    assert (
        state(order)
        == after_first
        == (
            "paid",
            [("captured", ""), ("captured", "")],
            [3, 0],
            ["awaiting_shipment", "awaiting_shipment"],
            6,
        )
    )


def test_a_decline_after_a_success_does_not_undo_the_payment(pending):
    order, session = pending
    deliver(session, approved=True)
    after_success = state(order)

    deliver(session, approved=False)

    assert state(order) == after_success


def test_unpaid_orders_expire_after_the_deadline(market, pending, monkeypatch):
    order, _session = pending
    move_clock(monkeypatch, by=timedelta(minutes=settings.PAYMENT_DEADLINE_MINUTES, seconds=1))

    assert expire_unpaid_orders() == 1

    assert state(order) == (
        "cancelled",
        [("expired", "deadline passed"), ("expired", "deadline passed")],
        [5, 8],
        ["cancelled", "cancelled"],
        6,
    )
    assert best_offer_of(market) == market.offer_cn
    assert expire_unpaid_orders() == 0


def test_nothing_expires_before_the_deadline(pending, monkeypatch):
    order, _session = pending
    before = state(order)
    move_clock(monkeypatch, by=timedelta(minutes=settings.PAYMENT_DEADLINE_MINUTES - 1))

    assert expire_unpaid_orders() == 0

    assert state(order) == before


def test_a_paid_order_does_not_expire(pending, monkeypatch):
    order, session = pending
    deliver(session, approved=True)
    before = state(order)
    move_clock(monkeypatch, by=timedelta(days=1))

    assert expire_unpaid_orders() == 0

    assert state(order) == before


def test_a_success_after_expiry_asks_for_a_refund_and_keeps_the_order_cancelled(
    market, pending, monkeypatch
):
    order, session = pending
    move_clock(monkeypatch, by=timedelta(hours=1))
    expire_unpaid_orders()
    events_before = OrderEvent.objects.filter(order=order).count()

    assert deliver(session, approved=True) is True

    assert state(order) == (
        "cancelled",
        [("refund_required", "paid after cancellation")] * 2,
        [5, 8],
        ["cancelled", "cancelled"],
        events_before,
    )
    assert Order.objects.get(id=order.id).paid_at is None


def test_an_order_without_a_payment_session_expires_too(market, monkeypatch):
    order = place_market_order(market, quantity_ru=1, quantity_cn=1)
    move_clock(monkeypatch, by=timedelta(hours=1))

    assert expire_unpaid_orders() == 1

    assert state(order)[0::2] == ("cancelled", [5, 8], 6)


def test_approving_on_the_sandbox_page_pays_before_redirecting(client, pending):
    order, session = pending

    response = client.post(session.redirect_url, {"decision": "approve"})

    assert response.status_code == 302
    assert response.url == f"/orders/{order.number}/"
    # The return page is hit after this response: the order is already paid by then.
    assert state(order)[0:2] == ("paid", [("captured", ""), ("captured", "")])
    assert SandboxSession.objects.get(reference=session.reference).status == "approved"


def test_declining_on_the_sandbox_page_releases_the_stock(client, pending):
    order, session = pending

    response = client.post(session.redirect_url, {"decision": "decline"})

    assert response.status_code == 302
    assert state(order)[0::2] == ("cancelled", [5, 8], 6)
    assert SandboxSession.objects.get(reference=session.reference).status == "declined"


def test_a_webhook_before_the_buyer_returns_charges_once(client, pending):
    order, session = pending
    assert deliver(session, approved=True) is True
    after_webhook = state(order)

    response = client.post(session.redirect_url, {"decision": "approve"})
    client.post(session.redirect_url, {"decision": "approve"})

    assert response.status_code == 302
    assert state(order) == after_webhook
    assert [
        payment.money.amount for payment in Payment.objects.filter(order=order).order_by("currency")
    ] == [Decimal("1225.00"), Decimal("5300.00")]
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1


def test_an_order_paid_while_expiry_runs_is_skipped_and_the_rest_expire(
    market, pending, monkeypatch
):
    paid_order, session = pending
    late_order = place_cart_order(
        user=market.buyer, address=market.address, lines=[(market.offer_ru, 1)]
    )
    move_clock(monkeypatch, by=timedelta(hours=1))
    deliver(session, approved=True)
    paid_before = state(paid_order)
    # The expiry read its list before the webhook's commit: the paid order is still on it.
    monkeypatch.setattr(
        "caravan.payments.services.list_expired_unpaid_order_ids",
        lambda *, before: [paid_order.id, late_order.id],
    )

    assert expire_unpaid_orders() == 1

    assert state(paid_order)[0:2] == paid_before[0:2] == ("paid", [("captured", "")] * 2)
    assert state(paid_order)[3:] == paid_before[3:]
    assert Order.objects.get(id=late_order.id).status == "cancelled"
    assert list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)) == [3, 0]
