"""The payment provider boundary. Card data never touches Caravan: payment is a redirect
to the provider's hosted page, and the result arrives by a signed webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from caravan.kernel.errors import DomainError
from caravan.kernel.money import Money


class WebhookRejected(DomainError):
    code = "webhook_rejected"


@dataclass(frozen=True)
class CheckoutSession:
    reference: str
    redirect_url: str


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    event_type: str  # "payment.succeeded" | "payment.failed"
    session_reference: str
    reason: str
    payload: dict[str, object]


class PaymentProvider(Protocol):
    name: str

    def create_session(
        self, *, merchant_reference: str, amounts: Sequence[Money], return_url: str
    ) -> CheckoutSession: ...

    def parse_webhook(self, *, body: bytes, signature: str) -> WebhookEvent: ...


SIGNATURE_HEADER = "Caravan-Signature"


def sign(*, body: bytes, secret: str, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify_signature(*, body: bytes, signature: str, secret: str, tolerance: int) -> None:
    """Stripe-style `t=<unix>,v1=<hex>`: the timestamp is signed with the body, so a replay
    of an old event fails the freshness check and a forged one fails the digest."""
    parts = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        received = parts["v1"]
    except (KeyError, ValueError) as error:
        raise WebhookRejected("malformed signature header", code="signature_malformed") from error
    if abs(time.time() - timestamp) > tolerance:
        raise WebhookRejected("stale webhook timestamp", code="signature_stale")
    expected = sign(body=body, secret=secret, timestamp=timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, received):
        raise WebhookRejected("bad webhook signature", code="signature_invalid")


def parse_event(body: bytes) -> WebhookEvent:
    try:
        payload = json.loads(body)
        event = WebhookEvent(
            event_id=str(payload["id"]),
            event_type=str(payload["type"]),
            session_reference=str(payload["data"]["session"]),
            reason=str(payload["data"].get("reason", "")),
            payload=payload,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise WebhookRejected("malformed webhook body", code="body_malformed") from error
    if not 0 < len(event.event_id) <= 64 or not 0 < len(event.session_reference) <= 64:
        raise WebhookRejected("event or session id out of bounds", code="body_malformed")
    return event


def get_provider() -> PaymentProvider:
    from .sandbox import SandboxProvider

    providers: dict[str, type] = {"sandbox": SandboxProvider}
    return providers[settings.PAYMENT_PROVIDER]()  # type: ignore[no-any-return]
