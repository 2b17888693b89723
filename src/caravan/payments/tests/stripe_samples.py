"""Stripe's documented objects (Checkout Sessions, Refunds, Events), for the adapter's tests."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from caravan.payments.gateways.stripe import StripeGateway

API = "https://api.stripe.test/v1"
SECRET_KEY = "sk_test_never-shown"
WEBHOOK_SECRET = "whsec_test_endpoint"
SESSION_ID = "cs_test_a1B2c3D4"
INTENT_ID = "pi_3QxYz"
NOW = 1_796_551_230  # 2026-12-06 10:00:30 UTC
CREATED = datetime.fromtimestamp(NOW, tz=UTC)


def gateway(clock=lambda: NOW) -> StripeGateway:
    return StripeGateway(
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
        api_url=API,
        timeout_seconds=5,
        clock=clock,
    )


def session_json(status="open", payment_status="unpaid", **changes):
    """A Checkout Session as Stripe documents it."""
    session = {
        "id": SESSION_ID,
        "object": "checkout.session",
        "amount_subtotal": 123450,
        "amount_total": 123450,
        "cancel_url": "https://shop.test/orders/C-7KQ2/",
        "client_reference_id": "pay_8f3k2",
        "created": NOW,
        "currency": "rub",
        "expires_at": NOW + 86400,
        "livemode": False,
        "metadata": {"merchant_reference": "pay_8f3k2"},
        "mode": "payment",
        "payment_intent": INTENT_ID if status == "complete" else None,
        "payment_status": payment_status,
        "status": status,
        "success_url": "https://shop.test/orders/C-7KQ2/",
        "url": f"https://checkout.stripe.com/c/pay/{SESSION_ID}" if status == "open" else None,
    }
    session.update(changes)
    return session


def refund_json(status="succeeded", amount=123450, refund_id="re_1", metadata=None):
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "charge": "ch_1",
        "created": NOW + 60,
        "currency": "rub",
        "metadata": {"checkout_session": SESSION_ID} if metadata is None else metadata,
        "payment_intent": INTENT_ID,
        "reason": None,
        "status": status,
    }


def event_body(event_type, obj, event_id="evt_1"):
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2024-06-20",
            "created": NOW,
            "data": {"object": obj},
            "livemode": False,
            "type": event_type,
        }
    ).encode()


def signature(body, timestamp=NOW, secret=WEBHOOK_SECRET):
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed_headers(body, timestamp=NOW):
    return {"Stripe-Signature": f"t={timestamp},v1={signature(body, timestamp)}"}


def form(request):
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def query(request):
    return {key: values[0] for key, values in parse_qs(urlsplit(str(request.url)).query).items()}


def create(amount, idempotency_key="pay_8f3k2"):
    return gateway().create_payment(
        amount=amount,
        merchant_reference="pay_8f3k2",
        description="Order C-7KQ2",
        return_url="https://shop.test/orders/C-7KQ2/",
        idempotency_key=idempotency_key,
    )
