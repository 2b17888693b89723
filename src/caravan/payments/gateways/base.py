"""The payment provider boundary (docs/decisions/0006-money.md).

Card data never touches Caravan: a payment is a redirect to the provider's hosted page. Every
method here may talk to the provider over the network, so none is ever called inside a
database transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from caravan.kernel.errors import DomainError
from caravan.kernel.money import Money


class ProviderStatus:
    """A payment's state as the provider reports it, mapped onto one vocabulary."""

    PENDING = "pending"  # created, the buyer has not paid yet
    WAITING_FOR_CAPTURE = "waiting_for_capture"  # authorised, capture needed
    SUCCEEDED = "succeeded"  # captured
    CANCELED = "canceled"  # declined, expired or voided before capture


class RefundStatus:
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class NotificationKind:
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_WAITING_FOR_CAPTURE = "payment.waiting_for_capture"
    PAYMENT_FAILED = "payment.failed"  # declined or canceled
    REFUND_SUCCEEDED = "refund.succeeded"
    REFUND_FAILED = "refund.failed"
    OTHER = "other"  # a kind Caravan does not act on; acknowledged and logged


class ProviderError(DomainError):
    code = "provider_error"


class ProviderUnavailable(ProviderError):
    """Timeout, connection error or a 5xx: the call may be retried with the same key."""

    code = "provider_unavailable"


class ProviderRefused(ProviderError):
    """A 4xx: the provider understood and said no. Retrying the same call will not help."""

    code = "provider_refused"


class NotificationRejected(DomainError):
    """A notification that must not be acted on: bad signature, stale timestamp, a sender
    outside the provider's published addresses, a malformed body. The view answers 400."""

    code = "notification_rejected"


@dataclass(frozen=True)
class HostedPayment:
    reference: str  # the provider's id for this payment (or checkout session)
    redirect_url: str  # where the buyer pays
    status: str  # ProviderStatus


@dataclass(frozen=True)
class ProviderPayment:
    """A payment as the provider knows it (fetched, notified or listed)."""

    reference: str
    status: str  # ProviderStatus
    amount: Money
    merchant_reference: str  # Caravan's payment public id, sent at creation as metadata
    created_at: datetime | None = None
    captured_at: datetime | None = None
    refunded: Money | None = None  # total refunded so far, where the provider reports it


@dataclass(frozen=True)
class ProviderRefund:
    reference: str
    payment_reference: str
    amount: Money
    status: str  # RefundStatus
    created_at: datetime | None = None


@dataclass(frozen=True)
class Notification:
    """One provider notification, verified. For a provider whose notifications are unsigned
    (YooKassa), `payment` holds the object fetched back from the provider's API, which is the
    only thing Caravan acts on."""

    event_id: str  # unique per notification; a repeat is a no-op
    kind: str  # NotificationKind
    payment_reference: str
    payment: ProviderPayment | None
    refund: ProviderRefund | None = None
    reason: str = ""
    payload: Mapping[str, object] = field(default_factory=dict)


class PaymentGateway(Protocol):
    name: str

    def create_payment(
        self,
        *,
        amount: Money,
        merchant_reference: str,
        description: str,
        return_url: str,
        idempotency_key: str,
    ) -> HostedPayment: ...

    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str], remote_addr: str
    ) -> Notification: ...

    def fetch_payment(self, *, reference: str) -> ProviderPayment: ...

    def capture(
        self, *, reference: str, amount: Money, idempotency_key: str
    ) -> ProviderPayment: ...

    def cancel(self, *, reference: str, idempotency_key: str) -> ProviderPayment: ...

    def refund(
        self, *, payment_reference: str, amount: Money, idempotency_key: str, reason: str
    ) -> ProviderRefund: ...

    def list_payments(self, *, day: date) -> list[ProviderPayment]: ...

    def list_refunds(self, *, day: date) -> list[ProviderRefund]: ...
