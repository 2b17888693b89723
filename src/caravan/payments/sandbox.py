"""The sandbox provider: a hosted payment page served by Caravan itself for the demo.

It behaves like a real provider from Caravan's side: a redirect out, a signed webhook in.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from caravan.kernel.money import Money

from .models import SandboxSession
from .provider import (
    CheckoutSession,
    WebhookEvent,
    parse_event,
    sign,
    verify_signature,
)


class SandboxProvider:
    name = "sandbox"

    def create_session(
        self, *, merchant_reference: str, amounts: Sequence[Money], return_url: str
    ) -> CheckoutSession:
        session = SandboxSession.objects.create(
            reference=f"sbx_{secrets.token_hex(12)}",
            merchant_reference=merchant_reference,
            amounts=[[str(money.amount), money.currency] for money in amounts],
            return_url=return_url,
        )
        return CheckoutSession(
            reference=session.reference,
            redirect_url=reverse("sandbox:pay", kwargs={"reference": session.reference}),
        )

    def parse_webhook(self, *, body: bytes, signature: str) -> WebhookEvent:
        verify_signature(
            body=body,
            signature=signature,
            secret=settings.PAYMENT_WEBHOOK_SECRET,
            tolerance=settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
        )
        return parse_event(body)


def build_event(*, session_reference: str, approved: bool, event_id: str | None = None) -> bytes:
    payload = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "type": "payment.succeeded" if approved else "payment.failed",
        "created": int(time.time()),
        "data": {
            "session": session_reference,
            "reason": "" if approved else "card_declined",
        },
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def signed_event(*, session_reference: str, approved: bool) -> tuple[bytes, str]:
    body = build_event(session_reference=session_reference, approved=approved)
    return body, sign(body=body, secret=settings.PAYMENT_WEBHOOK_SECRET, timestamp=int(time.time()))


def resolve_session(*, reference: str, approved: bool) -> SandboxSession:
    """The buyer pressed Approve or Decline on the hosted page: record it and notify Caravan
    by the signed webhook, exactly as the provider would, before redirecting back."""
    from .services import handle_webhook

    with transaction.atomic():
        session = SandboxSession.objects.select_for_update().get(reference=reference)
        if session.status != SandboxSession.Status.OPEN:
            return session
        session.status = (
            SandboxSession.Status.APPROVED if approved else SandboxSession.Status.DECLINED
        )
        session.save(update_fields=["status"])
    body, signature = signed_event(session_reference=reference, approved=approved)
    handle_webhook(body=body, signature=signature)
    return session
