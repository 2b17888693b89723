"""YooKassa notifications: unsigned, so believed only from YooKassa's published addresses
and only as far as the object fetched back from the API."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx
from django.test import override_settings

from caravan.kernel.money import Money
from caravan.payments.gateways.base import (
    NotificationKind,
    NotificationRejected,
    ProviderRefund,
    ProviderStatus,
    ProviderUnavailable,
    RefundStatus,
)
from caravan.payments.gateways.yookassa import YooKassaGateway
from caravan.payments.tests.yookassa_samples import (
    API,
    PAYMENT_ID,
    REFUND_ID,
    SECRET_KEY,
    SHOP_ID,
    YOOKASSA_V4,
    YOOKASSA_V6,
    gateway,
    notification_body,
    payment_json,
    refund_json,
)


@pytest.mark.parametrize("remote_addr", [YOOKASSA_V4, YOOKASSA_V6, "77.75.156.11"])
def test_a_notification_from_yookassa_is_acted_on_as_fetched(remote_addr):
    body = notification_body("payment.succeeded", payment_json("succeeded"))
    with respx.mock:
        respx.get(f"{API}/payments/{PAYMENT_ID}").respond(200, json=payment_json("succeeded"))
        notification = gateway().parse_notification(body=body, headers={}, remote_addr=remote_addr)

    assert notification.event_id == f"payment:{PAYMENT_ID}:succeeded"
    assert notification.kind == NotificationKind.PAYMENT_SUCCEEDED
    assert notification.payment_reference == PAYMENT_ID
    assert notification.payment is not None
    assert notification.payment.amount == Money("1234.50", "RUB")
    assert notification.payment.merchant_reference == "pay_8f3k2"


@respx.mock
def test_a_notification_claiming_success_for_a_canceled_payment_is_a_failure():
    # given the body says succeeded, YooKassa's API says canceled
    body = notification_body("payment.succeeded", payment_json("succeeded"))
    respx.get(f"{API}/payments/{PAYMENT_ID}").respond(
        200,
        json=payment_json(
            "canceled",
            cancellation_details={"party": "yoo_money", "reason": "expired_on_confirmation"},
        ),
    )

    # when
    notification = gateway().parse_notification(body=body, headers={}, remote_addr=YOOKASSA_V4)

    # then
    assert notification.event_id == f"payment:{PAYMENT_ID}:canceled"
    assert notification.kind == NotificationKind.PAYMENT_FAILED
    assert notification.reason == "yoo_money:expired_on_confirmation"
    assert notification.payment is not None
    assert notification.payment.status == ProviderStatus.CANCELED


@respx.mock
def test_waiting_for_capture_and_still_pending_payments_map_to_their_kinds():
    route = respx.get(f"{API}/payments/{PAYMENT_ID}").mock(
        side_effect=[
            httpx.Response(200, json=payment_json("waiting_for_capture")),
            httpx.Response(200, json=payment_json("pending")),
        ]
    )
    body = notification_body("payment.waiting_for_capture", payment_json("waiting_for_capture"))

    kinds = [
        gateway().parse_notification(body=body, headers={}, remote_addr=YOOKASSA_V4).kind
        for _ in range(2)
    ]

    assert kinds == [NotificationKind.PAYMENT_WAITING_FOR_CAPTURE, NotificationKind.OTHER]
    assert route.call_count == 2


@respx.mock
def test_a_refund_notification_is_acted_on_as_fetched():
    body = notification_body("refund.succeeded", refund_json())
    respx.get(f"{API}/refunds/{REFUND_ID}").respond(200, json=refund_json())

    notification = gateway().parse_notification(body=body, headers={}, remote_addr=YOOKASSA_V6)

    assert notification.event_id == f"refund:{REFUND_ID}:succeeded"
    assert notification.kind == NotificationKind.REFUND_SUCCEEDED
    assert notification.payment_reference == PAYMENT_ID
    assert notification.refund == ProviderRefund(
        reference=REFUND_ID,
        payment_reference=PAYMENT_ID,
        amount=Money("1234.50", "RUB"),
        status=RefundStatus.SUCCEEDED,
        created_at=datetime(2026, 12, 6, 11, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    "remote_addr", ["203.0.113.9", "185.71.76.32", "2a03::1", "", "not-an-address"]
)
def test_a_notification_from_elsewhere_is_rejected_without_any_request(remote_addr):
    body = notification_body("payment.succeeded", payment_json("succeeded"))
    with respx.mock(assert_all_called=False) as router:
        route = router.get(f"{API}/payments/{PAYMENT_ID}")
        with pytest.raises(NotificationRejected, match="outside YooKassa's published addresses"):
            gateway().parse_notification(body=body, headers={}, remote_addr=remote_addr)

    assert route.call_count == 0


def test_an_ipv4_mapped_ipv6_sender_is_judged_by_its_ipv4_address():
    assert gateway().is_allowed_sender("::ffff:185.71.77.10") is True
    assert gateway().is_allowed_sender("::ffff:203.0.113.9") is False


def test_allowed_networks_can_be_replaced():
    custom = YooKassaGateway(
        shop_id=SHOP_ID, secret_key=SECRET_KEY, allowed_networks=["198.51.100.0/24"]
    )

    assert custom.is_allowed_sender("198.51.100.7") is True
    assert custom.is_allowed_sender(YOOKASSA_V4) is False


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"type": "something", "event": "payment.succeeded", "object": {}}).encode(),
        json.dumps({"type": "notification", "object": {"id": PAYMENT_ID}}).encode(),
        json.dumps({"type": "notification", "event": "payment.succeeded", "object": {}}).encode(),
        notification_body("payment.succeeded", {"id": "../refunds"}),
        notification_body("payment.succeeded", {"id": f"{PAYMENT_ID}\n"}),
    ],
)
def test_a_malformed_notification_is_rejected_without_any_request(body):
    with respx.mock(assert_all_called=False) as router:
        route = router.route()
        with pytest.raises(NotificationRejected):
            gateway().parse_notification(body=body, headers={}, remote_addr=YOOKASSA_V4)

    assert route.call_count == 0


@respx.mock
def test_a_notification_about_a_payment_yookassa_does_not_know_is_rejected():
    respx.get(f"{API}/payments/{PAYMENT_ID}").respond(
        404, json={"type": "error", "id": "3", "code": "not_found", "description": "Not found"}
    )

    with pytest.raises(NotificationRejected, match=f"YooKassa knows no payment {PAYMENT_ID}"):
        gateway().parse_notification(
            body=notification_body("payment.succeeded", payment_json("succeeded")),
            headers={},
            remote_addr=YOOKASSA_V4,
        )


@respx.mock
def test_a_notification_while_yookassa_is_down_is_unavailable_so_it_is_retried():
    respx.get(f"{API}/payments/{PAYMENT_ID}").respond(503)

    with pytest.raises(ProviderUnavailable):
        gateway().parse_notification(
            body=notification_body("payment.succeeded", payment_json("succeeded")),
            headers={},
            remote_addr=YOOKASSA_V4,
        )


def test_an_event_caravan_does_not_act_on_is_acknowledged_without_a_request():
    body = notification_body("payout.succeeded", {"id": "po-1"})
    with respx.mock(assert_all_called=False) as router:
        route = router.route()
        notification = gateway().parse_notification(body=body, headers={}, remote_addr=YOOKASSA_V4)

    assert (notification.event_id, notification.kind, notification.payment) == (
        "payout.succeeded:po-1",
        NotificationKind.OTHER,
        None,
    )
    assert route.call_count == 0


@override_settings(
    YOOKASSA_SHOP_ID="506751",
    YOOKASSA_SECRET_KEY="live_key",
    YOOKASSA_ALLOWED_NETWORKS="198.51.100.0/24, 2001:db8::/32",
)
def test_allowed_networks_can_come_from_a_comma_separated_setting():
    configured = YooKassaGateway.from_settings()

    assert configured.is_allowed_sender("2001:db8::5") is True
    assert configured.is_allowed_sender(YOOKASSA_V4) is False


def test_by_default_the_settings_gateway_accepts_yookassas_published_addresses():
    configured = YooKassaGateway.from_settings()

    assert [str(network) for network in configured.allowed_networks] == [
        "185.71.76.0/27",
        "185.71.77.0/27",
        "77.75.153.0/25",
        "77.75.156.11/32",
        "77.75.156.35/32",
        "77.75.154.128/25",
        "2a02:5180::/32",
    ]
