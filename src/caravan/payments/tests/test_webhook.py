import json
import time

import pytest
from tests.factories import place_market_order, provider_event, webhook_signature

from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderEvent
from caravan.payments.models import Payment, ProviderEvent, SandboxSession
from caravan.payments.provider import WebhookRejected
from caravan.payments.services import handle_webhook, start_payment

WEBHOOK_URL = "/payments/webhook/"


@pytest.fixture
def pending(market):
    """The market's buyer has placed an order and been sent to the provider's page."""
    order = place_market_order(market, quantity_ru=2, quantity_cn=1)
    session = start_payment(order=order, return_url=f"/orders/{order.number}/")
    return order, session


def post(client, body, signature=None):
    headers = {} if signature is None else {"Caravan-Signature": signature}
    return client.post(WEBHOOK_URL, data=body, content_type="application/json", headers=headers)


def state(order):
    """Everything a webhook may change."""
    return (
        Order.objects.get(id=order.id).status,
        list(
            Payment.objects.filter(order=order)
            .order_by("currency")
            .values_list("status", flat=True)
        ),
        list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)),
        ProviderEvent.objects.count(),
        OrderEvent.objects.filter(order=order).count(),
    )


def test_starting_a_payment_opens_one_session_with_an_amount_per_currency(pending):
    order, session = pending

    payments = list(Payment.objects.filter(order=order).order_by("currency"))
    assert [(payment.money, payment.status) for payment in payments] == [
        (Money("175", "CNY"), "pending"),
        (Money("5300", "RUB"), "pending"),
    ]
    assert {payment.session_reference for payment in payments} == {session.reference}
    sandbox = SandboxSession.objects.get(reference=session.reference)
    assert sandbox.merchant_reference == order.number
    assert sandbox.money == [Money("175", "CNY"), Money("5300", "RUB")]
    assert session.redirect_url == f"/sandbox/pay/{session.reference}/"


def test_a_good_success_event_marks_the_order_paid(client, pending):
    order, session = pending
    body, signature = provider_event(session_reference=session.reference, approved=True)

    response = post(client, body, signature)

    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    assert state(order) == ("paid", ["captured", "captured"], [3, 7], 1, 6)
    assert list(Order.objects.get(id=order.id).seller_orders.values_list("status", flat=True)) == [
        "awaiting_shipment",
        "awaiting_shipment",
    ]


def test_a_bad_signature_is_refused_and_changes_nothing(client, pending):
    order, session = pending
    body, _signature = provider_event(session_reference=session.reference, approved=True)
    before = state(order)

    response = post(client, body, f"t={int(time.time())},v1={'0' * 64}")

    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    assert state(order) == before


def test_a_signature_made_with_another_secret_is_refused(client, pending):
    order, session = pending
    body, _signature = provider_event(session_reference=session.reference, approved=True)
    before = state(order)

    response = post(client, body, webhook_signature(body=body, secret="guessed-secret"))

    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    assert state(order) == before


def test_a_body_changed_after_signing_is_refused(client, pending):
    order, session = pending
    body, signature = provider_event(session_reference=session.reference, approved=False)
    forged = body.replace(b"payment.failed", b"payment.succeeded")
    before = state(order)

    response = post(client, forged, signature)

    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    assert state(order) == before


@pytest.mark.parametrize("signature", [None, "", "garbage", "t=abc,v1=00", "v1=00"])
def test_a_missing_or_malformed_signature_header_is_refused(client, pending, signature):
    order, session = pending
    body, _signature = provider_event(session_reference=session.reference, approved=True)
    before = state(order)

    response = post(client, body, signature)

    assert response.status_code == 400
    assert response.json()["code"] == "signature_malformed"
    assert state(order) == before


@pytest.mark.parametrize("age", [301, -301, 86_400])
def test_a_stale_timestamp_is_refused(client, pending, age):
    order, session = pending
    body, _signature = provider_event(session_reference=session.reference, approved=True)
    before = state(order)

    response = post(client, body, webhook_signature(body=body, timestamp=int(time.time()) - age))

    assert response.status_code == 400
    assert response.json()["code"] == "signature_stale"
    assert state(order) == before


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b'"payment.succeeded"',
        b'{"id": "evt_1", "type": "payment.succeeded"}',
        b'{"id": "evt_1", "type": "payment.succeeded", "data": "sbx"}',
        b'{"type": "payment.succeeded", "data": {"session": "sbx"}}',
        b'{"id": "' + b"e" * 65 + b'", "type": "payment.succeeded", "data": {"session": "sbx"}}',
        b'{"id": "", "type": "payment.succeeded", "data": {"session": "sbx"}}',
    ],
)
def test_a_malformed_body_is_refused(client, pending, body):
    order, _session = pending
    before = state(order)

    response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 400
    assert response.json()["code"] == "body_malformed"
    assert state(order) == before


def test_the_webhook_endpoint_takes_post_only(client, pending):
    order, _session = pending
    before = state(order)

    response = client.get(WEBHOOK_URL)

    assert response.status_code == 405
    assert state(order) == before


def test_a_duplicate_event_is_applied_once(client, pending):
    order, session = pending
    body, signature = provider_event(
        session_reference=session.reference, approved=True, event_id="evt_once"
    )
    assert post(client, body, signature).json() == {"received": True, "duplicate": False}
    after_first = state(order)

    response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": True}
    assert state(order) == after_first == ("paid", ["captured", "captured"], [3, 7], 1, 6)


def test_handle_webhook_reports_a_repeat_delivery(pending):
    order, session = pending
    body, signature = provider_event(
        session_reference=session.reference, approved=False, event_id="evt_decline"
    )

    assert handle_webhook(body=body, signature=signature) is True
    assert handle_webhook(body=body, signature=signature) is False

    assert state(order) == ("cancelled", ["failed", "failed"], [5, 8], 1, 6)


def test_handle_webhook_raises_a_coded_error_and_writes_nothing(pending):
    order, session = pending
    body, _signature = provider_event(session_reference=session.reference, approved=True)
    before = state(order)

    with pytest.raises(WebhookRejected) as caught:
        handle_webhook(body=body, signature=webhook_signature(body=body, secret="wrong"))

    assert caught.value.code == "signature_invalid"
    assert state(order) == before


def test_an_event_for_an_unknown_session_is_recorded_and_ignored(client, pending):
    order, _session = pending
    before = state(order)
    body, signature = provider_event(session_reference="sbx_unknown", approved=True)

    response = post(client, body, signature)

    assert response.status_code == 200
    assert state(order) == (*before[:3], before[3] + 1, before[4])


def test_an_unknown_event_type_is_recorded_and_ignored(client, pending):
    order, session = pending
    before = state(order)
    body = json.dumps(
        {"id": "evt_refund", "type": "payment.refunded", "data": {"session": session.reference}}
    ).encode()

    response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 200
    assert state(order) == (*before[:3], before[3] + 1, before[4])
