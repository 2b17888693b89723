"""The sandbox's notification signature: Stripe-style `t=<unix>,v1=<hex>` over the body."""

from __future__ import annotations

import hashlib
import hmac
import time

from .gateways.base import NotificationRejected

SIGNATURE_HEADER = "Caravan-Signature"


def sign(*, body: bytes, secret: str, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify_signature(*, body: bytes, signature: str, secret: str, tolerance: int) -> None:
    """The timestamp is signed with the body, so a replay of an old event fails the freshness
    check and a forged one fails the digest."""
    parts = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        received = parts["v1"]
    except (KeyError, ValueError) as error:
        raise NotificationRejected(
            "malformed signature header", code="signature_malformed"
        ) from error
    if abs(time.time() - timestamp) > tolerance:
        raise NotificationRejected("stale notification timestamp", code="signature_stale")
    expected = sign(body=body, secret=secret, timestamp=timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, received):
        raise NotificationRejected("bad notification signature", code="signature_invalid")
