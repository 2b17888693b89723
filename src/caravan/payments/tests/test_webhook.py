"""The provider's notification endpoint: what it refuses (and then writes nothing), what it
ignores, what it flags for the operator, and where the sender comes from."""

import json
import logging
import time

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory, override_settings
from tests.factories import (
    check_out_cart,
    fill_cart,
    provider_event,
    webhook_signature,
)

from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.verify import verify_ledger
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderEvent
from caravan.payments.gateways.base import NotificationRejected, ProviderUnavailable
from caravan.payments.models import Payment, PaymentAnomaly, ProviderEvent, SandboxSession
from caravan.payments.sandbox import SandboxGateway
from caravan.payments.services import handle_notification
from caravan.payments.signing import SIGNATURE_HEADER
from caravan.payments.views import sandbox_pay, sender_address

WEBHOOK_URL = "/payments/webhook/"


@pytest.fixture
def pending(market):
    """The market's buyer has checked out 2 RUB units and 1 CNY unit in roubles and been
    sent to the sandbox's page: one pending payment of 7520.32 RUB with its session."""
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    return result.order, result.payment


def post(client, body, signature=None, **extra):
    headers = {} if signature is None else {SIGNATURE_HEADER: signature}
    return client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers, **extra
    )


def state(order):
    """Everything a notification may change."""
    return (
        Order.objects.get(id=order.id).status,
        list(Payment.objects.filter(order=order).order_by("id").values_list("status", flat=True)),
        list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)),
        ProviderEvent.objects.count(),
        OrderEvent.objects.filter(order=order).count(),
        PaymentAnomaly.objects.count(),
        JournalEntry.objects.count(),
    )


def sandbox_body(ours, **changes):
    """A sandbox notification body for our payment, with some fields changed."""
    data = {
        "payment": ours.provider_reference,
        "merchant_reference": ours.public_id,
        "amount": str(ours.amount),
        "currency": ours.currency,
        "status": "succeeded",
        "reason": "",
    }
    event = {"id": f"evt_{time.time_ns()}", "type": "payment.succeeded", "created": 0}
    event.update({key: value for key, value in changes.items() if key in {"id", "type"}})
    data.update({key: value for key, value in changes.items() if key not in {"id", "type"}})
    event["data"] = data
    return json.dumps(event).encode()


def test_checking_out_opens_one_sandbox_session_for_the_whole_order_in_roubles(pending):
    order, payment = pending

    assert payment.money == order.total
    assert payment.status == Payment.Status.PENDING
    session = SandboxSession.objects.get()
    assert session.reference == payment.provider_reference
    assert session.merchant_reference == payment.public_id
    assert session.idempotency_key == payment.public_id
    assert session.money == payment.money
    assert payment.money == Money("7520.32", "RUB")
    assert payment.redirect_url == f"/sandbox/pay/{session.reference}/"


def test_a_good_success_notification_marks_the_order_paid(client, pending):
    order, payment = pending
    body, signature = provider_event(
        session_reference=payment.provider_reference, approved=True, event_id="evt_paid"
    )

    response = post(client, body, signature)

    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    # 7 events: placed + 2 parcels, then paid + 2 parcels awaiting shipment; 1 capture entry
    assert state(order) == ("paid", ["captured"], [3, 7], 1, 6, 0, 1)
    assert list(
        Order.objects.get(id=order.id).seller_orders.order_by("id").values_list("status", flat=True)
    ) == ["awaiting_shipment", "awaiting_shipment"]
    assert Payment.objects.get(id=payment.id).settles_order
    assert verify_ledger().ok


def test_a_bad_signature_is_refused_and_changes_nothing(client, pending):
    order, payment = pending
    body, _signature = provider_event(session_reference=payment.provider_reference, approved=True)
    before = state(order)

    response = post(client, body, f"t={int(time.time())},v1={'0' * 64}")

    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    assert state(order) == before


def test_a_signature_made_with_another_secret_is_refused(client, pending):
    order, payment = pending
    body, _signature = provider_event(session_reference=payment.provider_reference, approved=True)
    before = state(order)

    response = post(client, body, webhook_signature(body=body, secret="guessed-secret"))

    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    assert state(order) == before


def test_a_body_changed_after_signing_is_refused(client, pending):
    order, payment = pending
    body, signature = provider_event(session_reference=payment.provider_reference, approved=False)
    forged = body.replace(b"payment.failed", b"payment.succeeded")
    before = state(order)

    response = post(client, forged, signature)

    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    assert state(order) == before


@pytest.mark.parametrize("signature", [None, "", "garbage", "t=abc,v1=00", "v1=00"])
def test_a_missing_or_malformed_signature_header_is_refused(client, pending, signature):
    order, payment = pending
    body, _signature = provider_event(session_reference=payment.provider_reference, approved=True)
    before = state(order)

    response = post(client, body, signature)

    assert response.status_code == 400
    assert response.json()["code"] == "signature_malformed"
    assert state(order) == before


@pytest.mark.parametrize("age", [301, -301, 86_400])
def test_a_stale_timestamp_is_refused(client, pending, age):
    order, payment = pending
    body, _signature = provider_event(session_reference=payment.provider_reference, approved=True)
    before = state(order)

    response = post(client, body, webhook_signature(body=body, timestamp=int(time.time()) - age))

    assert response.status_code == 400
    assert response.json()["code"] == "signature_stale"
    assert state(order) == before


FULL_DATA = b'"data": {"payment": "sbx", "amount": "1", "currency": "RUB", "status": "succeeded"}'


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
        b'{"type": "payment.succeeded", ' + FULL_DATA + b"}",
        b'{"id": "evt_1", "type": "payment.succeeded", "data": {"payment": "sbx"}}',
        b'{"id": "evt_1", "type": "payment.succeeded", "data": {"payment": "sbx", '
        b'"amount": "ten", "currency": "RUB", "status": "succeeded"}}',
        b'{"id": "evt_1", "type": "payment.succeeded", "data": {"payment": "sbx", '
        b'"amount": "1", "currency": "XXX", "status": "succeeded"}}',
        b'{"id": "' + b"e" * 65 + b'", "type": "payment.succeeded", ' + FULL_DATA + b"}",
        b'{"id": "", "type": "payment.succeeded", ' + FULL_DATA + b"}",
    ],
)
def test_an_unexpected_body_is_a_400_and_a_log_line(client, pending, body, caplog):
    order, _payment = pending
    before = state(order)

    with caplog.at_level(logging.WARNING, logger="caravan.payments.views"):
        response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 400
    assert response.json()["code"] == "body_malformed"
    assert state(order) == before
    logged = [
        record.getMessage() for record in caplog.records if record.name == "caravan.payments.views"
    ]
    assert len(logged) == 1
    assert logged[0].startswith("payment notification rejected: ")


def test_the_webhook_endpoint_takes_post_only(client, pending):
    order, _payment = pending
    before = state(order)

    response = client.get(WEBHOOK_URL)

    assert response.status_code == 405
    assert state(order) == before


def test_a_duplicate_event_id_is_applied_once(client, pending):
    order, payment = pending
    body, signature = provider_event(
        session_reference=payment.provider_reference, approved=True, event_id="evt_once"
    )
    assert post(client, body, signature).json() == {"received": True, "duplicate": False}
    after_first = state(order)

    response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": True}
    assert state(order) == after_first == ("paid", ["captured"], [3, 7], 1, 6, 0, 1)


def test_handle_notification_reports_a_repeat_delivery(pending):
    order, payment = pending
    body, signature = provider_event(
        session_reference=payment.provider_reference, approved=False, event_id="evt_decline"
    )
    headers = {SIGNATURE_HEADER: signature}

    assert handle_notification(body=body, headers=headers, remote_addr="127.0.0.1") is True
    assert handle_notification(body=body, headers=headers, remote_addr="127.0.0.1") is False

    # declined: the payment failed; the order still waits for payment, its stock reserved
    assert state(order) == ("pending_payment", ["failed"], [3, 7], 1, 3, 0, 0)


def test_handle_notification_raises_a_coded_error_and_writes_nothing(pending):
    order, payment = pending
    body, _signature = provider_event(session_reference=payment.provider_reference, approved=True)
    before = state(order)

    with pytest.raises(NotificationRejected) as caught:
        handle_notification(
            body=body,
            headers={SIGNATURE_HEADER: webhook_signature(body=body, secret="wrong")},
            remote_addr="127.0.0.1",
        )

    assert caught.value.code == "signature_invalid"
    assert state(order) == before


def test_a_notification_for_an_unknown_payment_is_recorded_and_flagged(client, pending):
    order, payment = pending
    before = state(order)
    body = sandbox_body(payment, payment="sbx_unknown", merchant_reference="nobody")

    response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 200
    assert state(order) == (*before[:3], before[3] + 1, before[4], 1, before[6])
    anomaly = PaymentAnomaly.objects.get()
    assert (anomaly.kind, anomaly.source, anomaly.provider_reference, anomaly.payment) == (
        "unknown_payment",
        "notification",
        "sbx_unknown",
        None,
    )


@pytest.mark.parametrize(
    ("changes", "observed"),
    [
        ({"amount": "7520.31"}, "7520.31 RUB"),
        ({"amount": "1"}, "1 RUB"),
        ({"currency": "CNY"}, "7520.32 CNY"),
    ],
)
def test_a_notification_whose_amount_differs_is_flagged_and_not_applied(
    client, pending, changes, observed
):
    order, payment = pending
    before = state(order)
    body = sandbox_body(payment, **changes)

    response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 200
    assert state(order) == (*before[:3], before[3] + 1, before[4], 1, before[6])
    anomaly = PaymentAnomaly.objects.get()
    assert (anomaly.kind, anomaly.payment_id, anomaly.expected, anomaly.observed) == (
        "amount_mismatch",
        payment.id,
        "7520.32 RUB",
        observed,
    )
    assert Order.objects.get(id=order.id).paid_at is None


def test_a_failure_after_a_success_is_recorded_and_ignored(client, pending):
    order, payment = pending
    body, signature = provider_event(session_reference=payment.provider_reference, approved=True)
    post(client, body, signature)
    after_success = state(order)
    body, signature = provider_event(session_reference=payment.provider_reference, approved=False)

    response = post(client, body, signature)

    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    assert state(order) == (*after_success[:3], after_success[3] + 1, *after_success[4:])
    assert ProviderEvent.objects.order_by("received_at", "id").last().event_type == (
        "payment.failed"
    )
    assert verify_ledger().ok


def test_an_event_kind_caravan_does_not_act_on_is_recorded_and_acknowledged(client, pending):
    order, payment = pending
    before = state(order)
    body = sandbox_body(payment, type="payment.refunded")

    response = post(client, body, webhook_signature(body=body))

    assert response.status_code == 200
    assert state(order) == (*before[:3], before[3] + 1, *before[4:])


def test_a_provider_unreachable_while_verifying_is_a_503_so_it_is_sent_again(
    client, pending, monkeypatch
):
    order, payment = pending
    body, signature = provider_event(session_reference=payment.provider_reference, approved=True)
    before = state(order)

    def unreachable(self, **kwargs):
        raise ProviderUnavailable("timed out")

    monkeypatch.setattr(SandboxGateway, "parse_notification", unreachable)
    response = post(client, body, signature)

    assert response.status_code == 503
    assert response.json()["code"] == "provider_unavailable"
    assert state(order) == before


def test_a_bug_while_applying_is_a_400_never_a_500_and_writes_nothing(client, pending, monkeypatch):
    order, payment = pending
    body, signature = provider_event(session_reference=payment.provider_reference, approved=True)
    before = state(order)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("caravan.payments.services.capture", broken)
    response = post(client, body, signature)

    assert response.status_code == 400
    assert response.json() == {"code": "internal_error", "message": "not applied"}
    assert state(order) == before


# --- the notification's sender ---


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4,  203.0.113.9 ", "203.0.113.9"),
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "10.0.0.1", ""),
        (1, "", ""),
    ],
)
def test_the_sender_is_the_address_the_trusted_proxies_saw(proxies, forwarded, expected):
    request = RequestFactory().post(
        WEBHOOK_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )

    with override_settings(PAYMENT_TRUSTED_PROXIES=proxies):
        assert sender_address(request) == expected


def test_the_webhook_view_passes_the_rightmost_forwarded_address_behind_one_proxy(
    client, pending, monkeypatch, settings
):
    _order, payment = pending
    settings.PAYMENT_TRUSTED_PROXIES = 1
    seen = []
    real = SandboxGateway.parse_notification

    def spy(self, *, body, headers, remote_addr):
        seen.append(remote_addr)
        return real(self, body=body, headers=headers, remote_addr=remote_addr)

    monkeypatch.setattr(SandboxGateway, "parse_notification", spy)
    body, signature = provider_event(session_reference=payment.provider_reference, approved=True)

    response = post(client, body, signature, HTTP_X_FORWARDED_FOR="6.6.6.6, 185.71.76.1")

    assert response.status_code == 200
    assert seen == ["185.71.76.1"]


# --- the sandbox's hosted page ---


def test_the_sandbox_page_is_not_found_when_another_provider_is_configured(pending):
    _order, payment = pending
    request = RequestFactory().post(payment.redirect_url, {"decision": "approve"})

    with override_settings(PAYMENT_PROVIDER="yookassa"), pytest.raises(Http404):
        sandbox_pay(request, reference=payment.provider_reference)

    assert SandboxSession.objects.get().status == "open"
    assert Payment.objects.get(id=payment.id).status == "pending"


def test_the_sandbox_page_shows_the_amount_when_the_sandbox_is_the_provider(client, pending):
    _order, payment = pending
    assert settings.PAYMENT_PROVIDER == "sandbox"

    response = client.get(payment.redirect_url)

    assert response.status_code == 200
    assert SandboxSession.objects.get().status == "open"
