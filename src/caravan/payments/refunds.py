"""Sending refunds to the provider and recording its answers.

A refund row is written (with its ledger entry) inside the transaction that decides it; the
provider is called after commit with the refund's public id as idempotency key, so a retry
after a timeout never refunds twice. What the provider cannot take now is retried by
`retry_refunds` (Celery beat) and stays visible to the operator.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction

from caravan.kernel.clock import now
from caravan.kernel.events import publish
from caravan.kernel.money import Money
from caravan.ledger.flows import post_refund_sent

from .events import RefundSucceeded
from .gateways.base import (
    Notification,
    NotificationKind,
    ProviderRefund,
    ProviderRefused,
    ProviderUnavailable,
    RefundStatus,
)
from .gateways.registry import get_gateway
from .models import Payment, PaymentAnomaly, PaymentEvent, Refund

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
RETRY_AFTER = timedelta(minutes=5)


def move_payment(payment: Payment, target: str, *, note: str = "") -> None:
    """The one way a payment changes state: checked against the table, audited. The caller
    saves the row (with whatever else moved with it)."""
    Payment.TRANSITIONS.check(payment.status, target)
    PaymentEvent.objects.create(
        payment=payment, from_status=payment.status, to_status=target, note=note[:255]
    )
    payment.status = target


def record_refund_on_payment(*, payment: Payment, amount: Money, note: str) -> None:
    """Count a refund against the payment (locked by the caller): partially refunded or
    refunded. The CHECK constraint stops a refund past what was captured."""
    if amount.currency != payment.currency:
        raise ValueError("a refund is in the payment's currency")
    payment.refunded_amount += amount.amount
    target = (
        Payment.Status.REFUNDED
        if payment.refunded_amount >= payment.amount
        else Payment.Status.PARTIALLY_REFUNDED
    )
    move_payment(payment, target, note=note)
    payment.save(update_fields=["status", "refunded_amount", "updated_at"])


def queue_refund_after_commit(*, refund_id: int) -> None:
    from .tasks import send_refund_task

    transaction.on_commit(lambda: send_refund_task.delay(refund_id))


def send_refund(*, refund_id: int) -> Refund:
    """Ask the provider for a pending refund, outside any transaction. Safe to run twice:
    the provider sees the same idempotency key; a finished refund is left alone."""
    refund = Refund.objects.select_related("payment").get(id=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    gateway = get_gateway(refund.payment.provider)
    try:
        answer = gateway.refund(
            payment_reference=refund.payment.provider_reference,
            amount=refund.money,
            idempotency_key=refund.public_id,
            reason=refund.reason,
        )
    except ProviderUnavailable as error:
        return _record_attempt(refund_id=refund.id, error=error.message, final=False)
    except ProviderRefused as error:
        return _record_attempt(refund_id=refund.id, error=error.message, final=True)
    return record_provider_refund(refund_id=refund.id, answer=answer)


def _record_attempt(*, refund_id: int, error: str, final: bool) -> Refund:
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("payment").get(id=refund_id)
        if refund.status != Refund.Status.PENDING:
            return refund
        refund.attempts += 1
        refund.last_error = error[:255]
        fields = ["attempts", "last_error"]
        if final or refund.attempts >= MAX_ATTEMPTS:
            Refund.TRANSITIONS.check(refund.status, Refund.Status.FAILED)
            refund.status = Refund.Status.FAILED
            fields.append("status")
        refund.save(update_fields=fields)
    if refund.status == Refund.Status.FAILED:
        _flag_failed(refund, error=error)
    logger.warning("refund %s not taken by the provider: %s", refund.public_id, error)
    return refund


def _flag_failed(refund: Refund, *, error: str) -> None:
    """A refund the provider will not make is shown to the operator."""
    from .services import flag

    # One finding per failure: an operator's retry resets the attempts, so they cannot
    # tell a second failure from the first; the failures already flagged can.
    prefix = f"refund-failed:{refund.public_id}:"
    earlier = PaymentAnomaly.objects.filter(fingerprint__startswith=prefix).count()
    flag(
        provider=refund.payment.provider,
        kind=PaymentAnomaly.Kind.REFUND_FAILED,
        source=PaymentAnomaly.Source.REFUND,
        fingerprint=f"{prefix}{earlier + 1}",
        payment=refund.payment,
        provider_reference=refund.payment.provider_reference,
        expected=f"{refund.amount} {refund.currency}",
        detail=error,
    )


def record_provider_refund(*, refund_id: int, answer: ProviderRefund) -> Refund:
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("payment").get(id=refund_id)
        if refund.status != Refund.Status.PENDING:
            return refund
        refund.provider_reference = answer.reference[:255]
        refund.attempts += 1
        refund.last_error = ""
        refund.save(update_fields=["provider_reference", "attempts", "last_error"])
        if answer.status == RefundStatus.SUCCEEDED:
            _complete(refund)
        elif answer.status == RefundStatus.FAILED:
            Refund.TRANSITIONS.check(refund.status, Refund.Status.FAILED)
            refund.status = Refund.Status.FAILED
            refund.last_error = "refused by the provider"
            refund.save(update_fields=["status", "last_error"])
    if refund.status == Refund.Status.FAILED:
        # Answered "failed" rather than refused: the operator must see it just the same.
        _flag_failed(refund, error=refund.last_error)
        logger.warning("refund %s failed at the provider", refund.public_id)
    return refund


def _complete(refund: Refund) -> None:
    """The provider paid the buyer back: the money leaves the provider clearing account."""
    Refund.TRANSITIONS.check(refund.status, Refund.Status.SUCCEEDED)
    refund.status = Refund.Status.SUCCEEDED
    refund.completed_at = now()
    refund.save(update_fields=["status", "completed_at"])
    transaction.on_commit(lambda: publish(RefundSucceeded(refund.id)), robust=True)
    post_refund_sent(
        key=f"refund_sent:{refund.public_id}",
        memo=f"Refund {refund.public_id} paid back to the buyer",
        buyer_amount=refund.money,
    )


def apply_refund_notification(*, provider: str, notification: Notification) -> None:
    """A provider that confirms refunds later (YooKassa, Stripe) tells us here."""
    answer = notification.refund
    if answer is None:
        return
    refund = Refund.objects.filter(
        payment__provider=provider, provider_reference=answer.reference
    ).first()
    if refund is None:
        logger.warning("notification for unknown refund %s", answer.reference)
        return
    if notification.kind == NotificationKind.REFUND_SUCCEEDED:
        record_provider_refund(
            refund_id=refund.id,
            answer=ProviderRefund(
                reference=answer.reference,
                payment_reference=answer.payment_reference,
                amount=answer.amount,
                status=RefundStatus.SUCCEEDED,
            ),
        )
    else:
        _record_attempt(refund_id=refund.id, error="refused by the provider", final=True)


def retry_refunds() -> int:
    """Send again every pending refund whose last try is older than RETRY_AFTER."""
    due = Refund.objects.filter(
        status=Refund.Status.PENDING, provider_reference="", created_at__lte=now() - RETRY_AFTER
    ).values_list("id", flat=True)
    sent = 0
    for refund_id in list(due):
        send_refund(refund_id=refund_id)
        sent += 1
    return sent


def retry_failed_refund(*, refund_public_id: str) -> Refund:
    """The operator asks for another try of a refund the provider refused."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(public_id=refund_public_id)
        Refund.TRANSITIONS.check(refund.status, Refund.Status.PENDING)
        refund.status = Refund.Status.PENDING
        refund.attempts = 0
        refund.save(update_fields=["status", "attempts"])
    return send_refund(refund_id=refund.id)
