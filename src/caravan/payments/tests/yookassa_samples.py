"""YooKassa's documented objects (API v3), for the adapter's tests."""

import base64
import json

from caravan.payments.gateways.yookassa import YooKassaGateway

API = "https://api.yookassa.test/v3"
SHOP_ID = "506751"
SECRET_KEY = "test_secret-key-never-shown"
PAYMENT_ID = "2d1f2a8e-000f-5000-9000-1b1f4f3c9e2a"
REFUND_ID = "2d1f2b1c-0015-5000-9000-1a2b3c4d5e6f"
YOOKASSA_V4 = "185.71.76.5"
YOOKASSA_V6 = "2a02:5180:0:1509::1"
CONFIRMATION_URL = f"https://yoomoney.ru/checkout/payments/v2/contract?orderId={PAYMENT_ID}"


def gateway() -> YooKassaGateway:
    return YooKassaGateway(shop_id=SHOP_ID, secret_key=SECRET_KEY, api_url=API, timeout_seconds=5)


def payment_json(status="pending", **changes):
    """A payment object as YooKassa documents it."""
    payment = {
        "id": PAYMENT_ID,
        "status": status,
        "paid": status in {"waiting_for_capture", "succeeded"},
        "amount": {"value": "1234.50", "currency": "RUB"},
        "confirmation": {
            "type": "redirect",
            "confirmation_url": CONFIRMATION_URL,
        },
        "created_at": "2026-12-06T10:15:30.123Z",
        "description": "Order C-7KQ2",
        "metadata": {"merchant_reference": "pay_8f3k2"},
        "recipient": {"account_id": SHOP_ID, "gateway_id": "2280305"},
        "refundable": status == "succeeded",
        "test": True,
    }
    payment.update(changes)
    return payment


def refund_json(status="succeeded", value="1234.50", refund_id=REFUND_ID):
    return {
        "id": refund_id,
        "payment_id": PAYMENT_ID,
        "status": status,
        "amount": {"value": value, "currency": "RUB"},
        "created_at": "2026-12-06T11:00:00.000Z",
        "description": "Item not delivered",
    }


def notification_body(event, obj):
    return json.dumps({"type": "notification", "event": event, "object": obj}).encode()


def basic_auth() -> str:
    return "Basic " + base64.b64encode(f"{SHOP_ID}:{SECRET_KEY}".encode()).decode()
