"""Stripe: a Checkout Session is the hosted payment, webhooks are signed (Stripe-Signature),
refunds go to the session's PaymentIntent.

Caravan's payment reference is the Checkout Session id. Checkout captures automatically, so
there is no separate capture; `cancel` expires an open session.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import Any
from urllib.parse import quote

from django.conf import settings

from caravan.kernel.money import Money

from .base import (
    HostedPayment,
    Notification,
    NotificationKind,
    NotificationRejected,
    ProviderPayment,
    ProviderRefund,
    ProviderRefused,
    ProviderStatus,
    ProviderUnavailable,
    RefundStatus,
)
from .http import (
    UNEXPECTED_ANSWER,
    JsonObject,
    ProviderClient,
    from_minor_units,
    minor_units,
    text,
    unexpected,
    unix_datetime,
)

PROVIDER = "Stripe"
DEFAULT_API_URL = "https://api.stripe.com/v1"
DEFAULT_TOLERANCE_SECONDS = 300
PAGE_SIZE = 100
METADATA_VALUE_LIMIT = 500  # Stripe's limit on one metadata value
# Fetched sessions bring their charge along: the refunded total and the capture time.
EXPAND_CHARGE = "payment_intent.latest_charge"

REFUND_STATUSES = {
    "pending": RefundStatus.PENDING,
    "requires_action": RefundStatus.PENDING,
    "succeeded": RefundStatus.SUCCEEDED,
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.FAILED,
}
REFUND_KINDS = {
    RefundStatus.SUCCEEDED: NotificationKind.REFUND_SUCCEEDED,
    RefundStatus.FAILED: NotificationKind.REFUND_FAILED,
    RefundStatus.PENDING: NotificationKind.OTHER,
}
SESSION_EVENTS = {
    "checkout.session.async_payment_succeeded": NotificationKind.PAYMENT_SUCCEEDED,
    "checkout.session.async_payment_failed": NotificationKind.PAYMENT_FAILED,
    "checkout.session.expired": NotificationKind.PAYMENT_FAILED,
}
REFUND_EVENTS = frozenset(
    {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}
)


def _error_detail(payload: object) -> str:
    # {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": ...}}
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return ""
    parts = [str(error[key]) for key in ("code", "message") if error.get(key)]
    return " ".join(parts) or str(error.get("type", ""))


class StripeGateway:
    name = "stripe"

    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str,
        api_url: str = DEFAULT_API_URL,
        timeout_seconds: float = 15,
        tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = ProviderClient(
            provider=PROVIDER,
            base_url=api_url,
            headers={"Authorization": f"Bearer {secret_key}"},
            timeout_seconds=timeout_seconds,
            error_detail=_error_detail,
            secrets=(secret_key,),
        )
        self._webhook_secret = webhook_secret
        self._tolerance = tolerance_seconds
        self._clock = clock

    @classmethod
    def from_settings(cls) -> StripeGateway:
        return cls(
            secret_key=settings.STRIPE_SECRET_KEY,
            webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
            api_url=settings.STRIPE_API_URL,
            timeout_seconds=settings.PAYMENT_HTTP_TIMEOUT_SECONDS,
            tolerance_seconds=settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
        )

    def __repr__(self) -> str:
        return f"StripeGateway(api_url={self._client.base_url!r})"

    # Payments

    def create_payment(
        self,
        *,
        amount: Money,
        merchant_reference: str,
        description: str,
        return_url: str,
        idempotency_key: str,
    ) -> HostedPayment:
        raw = self._client.request(
            "POST",
            "/checkout/sessions",
            form={
                "mode": "payment",
                "line_items[0][price_data][currency]": amount.currency.lower(),
                "line_items[0][price_data][unit_amount]": str(minor_units(amount)),
                # Stripe refuses an empty product name.
                "line_items[0][price_data][product_data][name]": description or merchant_reference,
                "line_items[0][quantity]": "1",
                "success_url": return_url,
                "cancel_url": return_url,
                "client_reference_id": merchant_reference,
                "metadata[merchant_reference]": merchant_reference,
                "payment_intent_data[metadata][merchant_reference]": merchant_reference,
            },
            idempotency_header="Idempotency-Key",
            idempotency_key=idempotency_key,
        )
        return HostedPayment(
            reference=text(raw, "id", provider=PROVIDER, what="checkout session"),
            redirect_url=text(raw, "url", provider=PROVIDER, what="checkout session"),
            status=_session_status(raw),
        )

    def fetch_payment(self, *, reference: str) -> ProviderPayment:
        return _payment(self._get_session(reference))

    def capture(self, *, reference: str, amount: Money, idempotency_key: str) -> ProviderPayment:
        # Checkout captures when the buyer pays; there is nothing to capture separately.
        payment = self.fetch_payment(reference=reference)
        if payment.status != ProviderStatus.SUCCEEDED:
            raise ProviderRefused(
                f"Stripe Checkout captures on payment; session {reference} is {payment.status}"
            )
        return payment

    def cancel(self, *, reference: str, idempotency_key: str) -> ProviderPayment:
        raw = self._client.request(
            "POST",
            f"/checkout/sessions/{_segment(reference)}/expire",
            idempotency_header="Idempotency-Key",
            idempotency_key=idempotency_key,
        )
        return _payment(raw)

    def refund(
        self, *, payment_reference: str, amount: Money, idempotency_key: str, reason: str
    ) -> ProviderRefund:
        session = self._get_session(payment_reference)
        payment_intent = _payment_intent_id(session)
        if not payment_intent:
            raise ProviderRefused(f"Stripe session {payment_reference} has no payment to refund")
        form = {
            "payment_intent": payment_intent,
            "amount": str(minor_units(amount)),
            "metadata[checkout_session]": payment_reference,
        }
        if reason:
            form["metadata[reason]"] = reason[:METADATA_VALUE_LIMIT]
        raw = self._client.request(
            "POST",
            "/refunds",
            form=form,
            idempotency_header="Idempotency-Key",
            idempotency_key=idempotency_key,
        )
        return _refund(raw, payment_reference)

    # Reconciliation: one UTC day, every page.

    def list_payments(self, *, day: date) -> list[ProviderPayment]:
        sessions = self._list("/checkout/sessions", day, {"expand[]": f"data.{EXPAND_CHARGE}"})
        return [_payment(session) for session in sessions]

    def list_refunds(self, *, day: date) -> list[ProviderRefund]:
        return [_refund(raw, self._session_of(raw)) for raw in self._list("/refunds", day, {})]

    def _list(self, path: str, day: date, extra: Mapping[str, str]) -> list[JsonObject]:
        start = datetime.combine(day, day_time(), tzinfo=UTC)
        params: dict[str, str | int] = {
            "created[gte]": int(start.timestamp()),
            "created[lt]": int((start + timedelta(days=1)).timestamp()),
            "limit": PAGE_SIZE,
            **extra,
        }
        items: list[JsonObject] = []
        while True:
            page = self._client.request("GET", path, params=params)
            data = page.get("data")
            if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
                raise unexpected(PROVIDER, "list")
            items.extend(data)
            if page.get("has_more") is not True or not data:
                return items
            params = {
                **params,
                "starting_after": text(data[-1], "id", provider=PROVIDER, what="list"),
            }

    # Notifications

    def verify_signature(self, *, body: bytes, header: str | None) -> None:
        """Stripe signs `{t}.{body}` with the endpoint's secret (HMAC-SHA256, hex) and may send
        several v1 signatures while a secret is being rolled."""
        if not self._webhook_secret:
            raise NotificationRejected("Stripe webhook secret is not configured")
        if not header:
            raise NotificationRejected("Stripe notification has no Stripe-Signature header")
        timestamp = ""
        signatures: list[str] = []
        for item in header.split(","):
            key, _, value = item.strip().partition("=")
            if key == "t":
                timestamp = value
            elif key == "v1":
                signatures.append(value)
        if not (timestamp.isascii() and timestamp.isdigit()) or not signatures:
            raise NotificationRejected("Stripe-Signature has no timestamp or no v1 signature")
        expected = hmac.new(
            self._webhook_secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        # Bytes, because compare_digest refuses non-ASCII text; every candidate is compared, so
        # the time taken does not tell which one matched.
        matches = [
            hmac.compare_digest(expected.encode(), signature.encode()) for signature in signatures
        ]
        if not any(matches):
            raise NotificationRejected("Stripe-Signature does not match the body")
        if abs(self._clock() - int(timestamp)) > self._tolerance:
            raise NotificationRejected("Stripe-Signature timestamp is outside the tolerance")

    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str], remote_addr: str
    ) -> Notification:
        self.verify_signature(body=body, header=_header(headers, "Stripe-Signature"))
        event = _event(body)
        event_id, event_type, obj = event["id"], event["type"], event["data"]["object"]
        try:
            if event_type.startswith("checkout.session."):
                return self._session_notification(event, obj)
            if event_type in REFUND_EVENTS:
                return self._refund_notification(event, _refund(obj, self._session_of(obj)))
            if event_type == "charge.refunded":
                latest = _latest_refund(obj)
                if latest is not None:
                    return self._refund_notification(
                        event, _refund(latest, self._session_of(latest))
                    )
        except ProviderUnavailable as error:
            if error.code != UNEXPECTED_ANSWER:
                raise
            raise NotificationRejected(f"Stripe event {event_id}: {error.message}") from error
        return Notification(
            event_id=event_id,
            kind=NotificationKind.OTHER,
            payment_reference="",
            payment=None,
            payload=event,
        )

    def _session_notification(self, event: JsonObject, session: JsonObject) -> Notification:
        payment = _payment(session)
        event_type = event["type"]
        if event_type == "checkout.session.completed":
            # Completed with payment_status "unpaid" is a delayed method still under way.
            paid = payment.status == ProviderStatus.SUCCEEDED
            kind = NotificationKind.PAYMENT_SUCCEEDED if paid else NotificationKind.OTHER
        else:
            kind = SESSION_EVENTS.get(event_type, NotificationKind.OTHER)
        reason = (
            event_type.removeprefix("checkout.session.")
            if kind == NotificationKind.PAYMENT_FAILED
            else ""
        )
        return Notification(
            event_id=event["id"],
            kind=kind,
            payment_reference=payment.reference,
            payment=payment,
            reason=reason,
            payload=event,
        )

    def _refund_notification(self, event: JsonObject, refund: ProviderRefund) -> Notification:
        return Notification(
            event_id=event["id"],
            kind=REFUND_KINDS[refund.status],
            payment_reference=refund.payment_reference,
            payment=None,
            refund=refund,
            payload=event,
        )

    def _get_session(self, reference: str) -> JsonObject:
        return self._client.request(
            "GET", f"/checkout/sessions/{_segment(reference)}", params={"expand[]": EXPAND_CHARGE}
        )

    def _session_of(self, refund: Mapping[str, Any]) -> str:
        """The Checkout Session a refund belongs to: our own refunds say so in their metadata;
        one made in Stripe's dashboard is looked up by its PaymentIntent."""
        metadata = refund.get("metadata")
        session = metadata.get("checkout_session") if isinstance(metadata, dict) else None
        if isinstance(session, str) and session:
            return session
        payment_intent = refund.get("payment_intent")
        if not isinstance(payment_intent, str) or not payment_intent:
            raise unexpected(PROVIDER, "refund (no payment_intent)")
        page = self._client.request(
            "GET", "/checkout/sessions", params={"payment_intent": payment_intent, "limit": 1}
        )
        data = page.get("data")
        if isinstance(data, list) and data and isinstance(data[0], dict):
            return text(data[0], "id", provider=PROVIDER, what="checkout session")
        # Not a Checkout payment: reconciliation reports the PaymentIntent as unknown.
        return payment_intent


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def _event(body: bytes) -> JsonObject:
    try:
        event = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise NotificationRejected("Stripe event is not JSON") from error
    if not isinstance(event, dict):
        raise NotificationRejected("Stripe event is not a JSON object")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise NotificationRejected("Stripe event has no id or type")
    if not isinstance(obj, dict):
        raise NotificationRejected("Stripe event has no data.object")
    return event


def _segment(reference: str) -> str:
    return quote(reference, safe="")


def _session_status(session: Mapping[str, Any]) -> str:
    status, payment_status = session.get("status"), session.get("payment_status")
    if status == "expired":
        return ProviderStatus.CANCELED
    if status == "complete" and payment_status == "paid":
        return ProviderStatus.SUCCEEDED
    if status in {"open", "complete"}:
        return ProviderStatus.PENDING
    raise unexpected(PROVIDER, f"checkout session status {status!r}")


def _payment_intent_id(session: Mapping[str, Any]) -> str:
    payment_intent = session.get("payment_intent")
    if isinstance(payment_intent, dict):
        payment_intent = payment_intent.get("id")
    return payment_intent if isinstance(payment_intent, str) else ""


def _charge(session: Mapping[str, Any]) -> Mapping[str, Any]:
    payment_intent = session.get("payment_intent")
    charge = payment_intent.get("latest_charge") if isinstance(payment_intent, dict) else None
    return charge if isinstance(charge, dict) else {}


def _payment(session: JsonObject) -> ProviderPayment:
    amount = from_minor_units(
        session.get("amount_total"), session.get("currency"), provider=PROVIDER
    )
    metadata = session.get("metadata")
    merchant_reference = session.get("client_reference_id") or (
        metadata.get("merchant_reference") if isinstance(metadata, dict) else ""
    )
    charge = _charge(session)
    refunded = None
    if "amount_refunded" in charge:
        refunded = from_minor_units(
            charge["amount_refunded"], charge.get("currency"), provider=PROVIDER
        )
    return ProviderPayment(
        reference=text(session, "id", provider=PROVIDER, what="checkout session"),
        status=_session_status(session),
        amount=amount,
        merchant_reference=merchant_reference if isinstance(merchant_reference, str) else "",
        created_at=unix_datetime(session.get("created")),
        captured_at=unix_datetime(charge.get("created")) if charge.get("captured") else None,
        refunded=refunded,
    )


def _refund(raw: Mapping[str, Any], payment_reference: str) -> ProviderRefund:
    status = REFUND_STATUSES.get(raw.get("status"))  # type: ignore[arg-type]
    if status is None:
        raise unexpected(PROVIDER, f"refund status {raw.get('status')!r}")
    return ProviderRefund(
        reference=text(raw, "id", provider=PROVIDER, what="refund"),
        payment_reference=payment_reference,
        amount=from_minor_units(raw.get("amount"), raw.get("currency"), provider=PROVIDER),
        status=status,
        created_at=unix_datetime(raw.get("created")),
    )


def _latest_refund(charge: Mapping[str, Any]) -> Mapping[str, Any] | None:
    refunds = charge.get("refunds")
    data = refunds.get("data") if isinstance(refunds, dict) else None
    if not isinstance(data, list):
        return None
    candidates = [item for item in data if isinstance(item, dict)]
    return max(candidates, key=lambda item: item.get("created") or 0, default=None)
