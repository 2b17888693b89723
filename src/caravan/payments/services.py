"""Payment writes: start a hosted checkout, take the provider's webhook, expire unpaid orders."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from caravan.kernel.clock import now
from caravan.kernel.money import MoneyTotals
from caravan.orders.models import Order, SellerOrder
from caravan.orders.selectors import list_expired_unpaid_order_ids
from caravan.orders.services import cancel_unpaid_order, mark_order_paid

from .models import Payment, ProviderEvent
from .provider import CheckoutSession, WebhookEvent, get_provider

logger = logging.getLogger(__name__)

SUCCEEDED = "payment.succeeded"
FAILED = "payment.failed"


@transaction.atomic
def start_payment(*, order: Order, return_url: str) -> CheckoutSession:
    """Open a provider session for what the order owes, one amount per currency."""
    seller_orders = SellerOrder.objects.filter(order=order).only("total_amount", "currency")
    totals = MoneyTotals(seller_order.total for seller_order in seller_orders)
    provider = get_provider()
    session = provider.create_session(
        merchant_reference=order.number, amounts=totals.as_list(), return_url=return_url
    )
    Payment.objects.bulk_create(
        Payment(
            order=order,
            provider=provider.name,
            session_reference=session.reference,
            currency=money.currency,
            amount=money.amount,
        )
        for money in totals
    )
    return session


def handle_webhook(*, body: bytes, signature: str) -> bool:
    """Verify, deduplicate by event id, apply. Returns False for a repeat delivery.

    Raises WebhookRejected (nothing written) for a bad signature, stale timestamp or body.
    """
    provider = get_provider()
    event = provider.parse_webhook(body=body, signature=signature)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProviderEvent.objects.create(
                    provider=provider.name,
                    event_id=event.event_id,
                    event_type=event.event_type,
                    session_reference=event.session_reference,
                    payload=event.payload,
                )
        except IntegrityError:
            logger.info("duplicate webhook %s ignored", event.event_id)
            return False
        _apply(provider_name=provider.name, event=event)
    return True


def _apply(*, provider_name: str, event: WebhookEvent) -> None:
    session = Payment.objects.filter(
        provider=provider_name, session_reference=event.session_reference
    )
    order_id = session.values_list("order_id", flat=True).first()
    if order_id is None:
        logger.warning("webhook for unknown session %s", event.session_reference)
        return
    # The house lock order: the order first, then its payments.
    order = Order.objects.select_for_update().only("status").get(id=order_id)
    payments = list(session.select_for_update().order_by("id"))
    if event.event_type == SUCCEEDED:
        if order.status == Order.Status.CANCELLED:
            # Paid after the deadline released the stock: the money must go back.
            _set_status(payments, Payment.Status.REFUND_REQUIRED, "paid after cancellation")
            return
        _set_status(payments, Payment.Status.CAPTURED, "")
        mark_order_paid(order_id=order_id, note=f"payment {event.session_reference}")
    elif event.event_type == FAILED:
        if any(payment.status == Payment.Status.CAPTURED for payment in payments):
            return
        _set_status(payments, Payment.Status.FAILED, event.reason or "declined")
        cancel_unpaid_order(order_id=order_id, reason=f"payment failed: {event.reason}")
    else:
        logger.info("webhook type %s ignored", event.event_type)


def _set_status(payments: list[Payment], status: str, reason: str) -> None:
    for payment in payments:
        payment.status = status
        payment.failure_reason = reason[:255]
        payment.save(update_fields=["status", "failure_reason", "updated_at"])


def expire_unpaid_orders() -> int:
    """Cancel orders past their payment deadline; each in its own transaction."""
    expired = 0
    for order_id in list_expired_unpaid_order_ids(before=now()):
        with transaction.atomic():
            # The house lock order: the order first, then its payments.
            order = Order.objects.select_for_update().only("status").get(id=order_id)
            if order.status != Order.Status.PENDING_PAYMENT:
                # Paid or declined between the listing and the lock: not an expiry.
                logger.info("order %s settled before it could expire", order_id)
                continue
            payments = list(
                Payment.objects.select_for_update().filter(
                    order_id=order_id, status=Payment.Status.PENDING
                )
            )
            cancel_unpaid_order(order_id=order_id, reason="payment deadline passed")
            _set_status(payments, Payment.Status.EXPIRED, "deadline passed")
            expired += 1
    return expired
