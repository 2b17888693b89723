"""Stripe webhook events: the Stripe-Signature check and the events Caravan acts on.

Every test runs under respx, so a lookup the test did not expect fails instead of going out."""

import json

import pytest
import respx

from caravan.kernel.money import Money
from caravan.payments.gateways.base import (
    NotificationKind,
    NotificationRejected,
    ProviderPayment,
    ProviderStatus,
)
from caravan.payments.gateways.stripe import StripeGateway
from caravan.payments.tests.stripe_samples import (
    API,
    CREATED,
    INTENT_ID,
    NOW,
    SECRET_KEY,
    SESSION_ID,
    event_body,
    gateway,
    refund_json,
    session_json,
    signature,
    signed_headers,
)


@respx.mock
def test_a_paid_checkout_completed_event_is_a_success():
    body = event_body("checkout.session.completed", session_json("complete", "paid"), "evt_9")

    notification = gateway().parse_notification(
        body=body, headers=signed_headers(body), remote_addr="203.0.113.5"
    )

    assert notification.event_id == "evt_9"
    assert notification.kind == NotificationKind.PAYMENT_SUCCEEDED
    assert notification.payment_reference == SESSION_ID
    assert notification.payment == ProviderPayment(
        reference=SESSION_ID,
        status=ProviderStatus.SUCCEEDED,
        amount=Money("1234.50", "RUB"),
        merchant_reference="pay_8f3k2",
        created_at=CREATED,
    )


@pytest.mark.parametrize(
    ("event_type", "session", "kind", "reason"),
    [
        (
            "checkout.session.completed",
            session_json("complete", "unpaid"),
            NotificationKind.OTHER,
            "",
        ),
        (
            "checkout.session.async_payment_succeeded",
            session_json("complete", "paid"),
            NotificationKind.PAYMENT_SUCCEEDED,
            "",
        ),
        (
            "checkout.session.async_payment_failed",
            session_json("complete", "unpaid"),
            NotificationKind.PAYMENT_FAILED,
            "async_payment_failed",
        ),
        (
            "checkout.session.expired",
            session_json("expired"),
            NotificationKind.PAYMENT_FAILED,
            "expired",
        ),
    ],
)
@respx.mock
def test_checkout_session_events_map_to_kinds(event_type, session, kind, reason):
    body = event_body(event_type, session)

    notification = gateway().parse_notification(
        body=body, headers=signed_headers(body), remote_addr=""
    )

    assert (notification.kind, notification.reason) == (kind, reason)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("succeeded", NotificationKind.REFUND_SUCCEEDED),
        ("failed", NotificationKind.REFUND_FAILED),
        ("pending", NotificationKind.OTHER),
    ],
)
@respx.mock
def test_a_refund_updated_event_carries_the_refund(status, kind):
    body = event_body("refund.updated", refund_json(status=status, amount=10000))

    notification = gateway().parse_notification(
        body=body, headers=signed_headers(body), remote_addr=""
    )

    assert notification.kind == kind
    assert notification.payment_reference == SESSION_ID
    assert notification.refund is not None
    assert (notification.refund.reference, notification.refund.amount) == (
        "re_1",
        Money("100.00", "RUB"),
    )


@respx.mock
def test_a_charge_refunded_event_carries_its_latest_refund():
    charge = {
        "id": "ch_1",
        "object": "charge",
        "amount": 123450,
        "amount_refunded": 30000,
        "currency": "rub",
        "payment_intent": INTENT_ID,
        "refunds": {
            "object": "list",
            "data": [
                refund_json(refund_id="re_old", amount=10000) | {"created": NOW + 10},
                refund_json(refund_id="re_new", amount=20000, metadata={}) | {"created": NOW + 20},
            ],
        },
    }
    respx.get(f"{API}/checkout/sessions").respond(
        200, json={"object": "list", "data": [session_json("complete", "paid")], "has_more": False}
    )
    body = event_body("charge.refunded", charge)

    notification = gateway().parse_notification(
        body=body, headers=signed_headers(body), remote_addr=""
    )

    assert notification.kind == NotificationKind.REFUND_SUCCEEDED
    assert notification.payment_reference == SESSION_ID
    assert notification.refund is not None
    assert (notification.refund.reference, notification.refund.amount) == (
        "re_new",
        Money("200.00", "RUB"),
    )


@respx.mock
def test_an_event_caravan_does_not_act_on_is_acknowledged():
    body = event_body("customer.created", {"id": "cus_1", "object": "customer"}, "evt_5")

    notification = gateway().parse_notification(
        body=body, headers=signed_headers(body), remote_addr=""
    )

    assert (notification.event_id, notification.kind, notification.payment_reference) == (
        "evt_5",
        NotificationKind.OTHER,
        "",
    )


@respx.mock
def test_any_of_several_v1_signatures_may_match():
    body = event_body("checkout.session.completed", session_json("complete", "paid"))
    header = f"t={NOW},v1={signature(body, secret='whsec_old')},v1={signature(body)},v0=legacy"

    notification = gateway().parse_notification(
        body=body, headers={"stripe-signature": header}, remote_addr=""
    )

    assert notification.kind == NotificationKind.PAYMENT_SUCCEEDED


@respx.mock
def test_a_signature_within_the_tolerance_is_accepted():
    body = event_body("checkout.session.completed", session_json("complete", "paid"))

    notification = gateway(clock=lambda: NOW + 300).parse_notification(
        body=body, headers=signed_headers(body), remote_addr=""
    )

    assert notification.event_id == "evt_1"


@pytest.mark.parametrize(
    ("headers", "clock", "message"),
    [
        ({}, NOW, "no Stripe-Signature header"),
        ({"Stripe-Signature": f"t={NOW}"}, NOW, "no timestamp or no v1 signature"),
        ({"Stripe-Signature": "v1=abc"}, NOW, "no timestamp or no v1 signature"),
        ({"Stripe-Signature": f"t={NOW},v1={'0' * 64}"}, NOW, "does not match the body"),
        ({"Stripe-Signature": f"t={NOW},v1=é"}, NOW, "does not match the body"),
        ({"Stripe-Signature": "t=¹²³,v1=abc"}, NOW, "no timestamp or no v1 signature"),
        ("wrong secret", NOW, "does not match the body"),
        ("tampered body", NOW, "does not match the body"),
        ("signed", NOW + 301, "outside the tolerance"),
        ("signed", NOW - 301, "outside the tolerance"),
    ],
)
@respx.mock
def test_a_bad_missing_or_stale_signature_is_rejected(headers, clock, message):
    body = event_body("checkout.session.completed", session_json("complete", "paid"))
    if headers == "signed":
        headers = signed_headers(body)
    elif headers == "wrong secret":
        headers = {"Stripe-Signature": f"t={NOW},v1={signature(body, secret='whsec_other')}"}
    elif headers == "tampered body":
        headers = signed_headers(body)
        body = body.replace(b"123450", b"1")

    with pytest.raises(NotificationRejected, match=message):
        gateway(clock=lambda: clock).parse_notification(body=body, headers=headers, remote_addr="")


@respx.mock
def test_without_a_webhook_secret_every_notification_is_rejected():
    body = event_body("checkout.session.completed", session_json("complete", "paid"))
    unconfigured = StripeGateway(secret_key=SECRET_KEY, webhook_secret="", api_url=API)

    with pytest.raises(NotificationRejected, match="webhook secret is not configured"):
        unconfigured.parse_notification(body=body, headers=signed_headers(body), remote_addr="")


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1]",
        json.dumps({"id": "evt_1", "type": "checkout.session.completed"}).encode(),
        json.dumps({"type": "x", "data": {"object": {}}}).encode(),
    ],
)
@respx.mock
def test_a_signed_but_malformed_event_is_rejected(payload):
    with pytest.raises(NotificationRejected):
        gateway().parse_notification(body=payload, headers=signed_headers(payload), remote_addr="")


@respx.mock
def test_a_signed_event_in_an_unknown_currency_is_rejected():
    body = event_body(
        "checkout.session.completed", session_json("complete", "paid", currency="xyz")
    )

    with pytest.raises(
        NotificationRejected, match="evt_1: Stripe answered with an unexpected currency"
    ):
        gateway().parse_notification(body=body, headers=signed_headers(body), remote_addr="")
