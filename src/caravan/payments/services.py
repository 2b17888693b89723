"""Payment writes: open a payment, take the provider's notifications, expire unpaid orders.

No provider call runs inside a database transaction (house rule 3): the row is committed
first, the provider is called, and its answer is recorded in a second short transaction.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _

from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, NotFound
from caravan.kernel.events import publish
from caravan.ledger.flows import CaptureShare, post_capture, post_duplicate_capture
from caravan.orders.models import Order, SellerOrder
from caravan.orders.selectors import list_expired_unpaid_order_ids
from caravan.orders.services import (
    cancel_unpaid_order,
    lock_order,
    lock_order_named,
    pay_locked_order,
)

from .events import PaymentDeclined
from .failures import BUYER_CANCEL_REASON, EXPIRY_REASON
from .gateways.base import (
    HostedPayment,
    Notification,
    NotificationKind,
    ProviderError,
)
from .gateways.registry import get_gateway
from .models import Payment, PaymentAnomaly, PaymentEvent, ProviderEvent, Refund
from .refunds import apply_refund_notification, move_payment, queue_refund_after_commit

logger = logging.getLogger(__name__)

OPEN = {Payment.Status.PENDING}
TAKEN = {Payment.Status.CAPTURED, Payment.Status.PARTIALLY_REFUNDED, Payment.Status.REFUNDED}


def create_payment(*, order: Order) -> Payment:
    """A pending payment for what the order owes, in the buyer's currency. Runs inside the
    caller's transaction; the provider is called after commit by open_session."""
    payment = Payment.objects.create(
        order=order,
        provider=get_gateway().name,
        currency=order.buyer_currency,
        amount=order.total_amount,
    )
    PaymentEvent.objects.create(payment=payment, to_status=payment.status, note="created")
    return payment


@dataclass(frozen=True)
class OpenedPayment:
    payment: Payment
    redirect_url: str


# Another request asking the provider for the same payment is waited for this long; a claim
# older than CLAIM_TIMEOUT belongs to a process that died and is taken over.
SESSION_WAIT = timedelta(seconds=5)
CLAIM_TIMEOUT = timedelta(seconds=30)
POLL_SECONDS = 0.05


def open_session(*, payment: Payment, return_url: str) -> OpenedPayment:
    """Ask the provider for the hosted page, outside any transaction, with the payment's
    public id as idempotency key: after a crash the retry gets the same provider payment.

    One request at a time asks the provider for a given payment (a conditional UPDATE claims
    it); a concurrent replay waits for that answer instead of calling the provider again, and
    gets an empty URL if none comes in time ("pay" on the order page retries).

    Raises ProviderError (nothing recorded; the payment stays pending without a session)."""
    if payment.redirect_url:
        return OpenedPayment(payment, payment.redirect_url)
    moment = now()
    # A durable commit (synchronous_commit stays on): it flushes the WAL up to here, so the
    # order that check_out committed without waiting for the disk is durable before the
    # provider hears of it.
    claimed = (
        Payment.objects.filter(id=payment.id, redirect_url="")
        .filter(
            Q(session_claimed_at__isnull=True) | Q(session_claimed_at__lt=moment - CLAIM_TIMEOUT)
        )
        .update(session_claimed_at=moment)
    )
    if not claimed:
        return OpenedPayment(payment, _wait_for_session(payment))
    gateway = get_gateway(payment.provider)
    try:
        hosted: HostedPayment = gateway.create_payment(
            amount=payment.money,
            merchant_reference=payment.public_id,
            description=_("Order %(number)s") % {"number": payment.order.number},
            return_url=return_url,
            idempotency_key=payment.public_id,
        )
    except ProviderError:
        Payment.objects.filter(id=payment.id).update(session_claimed_at=None)
        raise
    with transaction.atomic():
        # Losing this record in a crash is the crash between the provider's answer and our
        # commit that the design already survives: the notification finds the payment by
        # our merchant reference, and "Pay" asks again with the same idempotency key and
        # gets the same session. So it need not wait for the disk; the claim above did.
        _commit_without_waiting_for_the_disk()
        # One conditional UPDATE: a notification that arrived first may have recorded the
        # same reference already (found by our merchant reference), and then only the URL is
        # new.
        recorded = Payment.objects.filter(id=payment.id, provider_reference="").update(
            provider_reference=hosted.reference, redirect_url=hosted.redirect_url, updated_at=now()
        )
        if not recorded:
            Payment.objects.filter(id=payment.id).update(
                redirect_url=hosted.redirect_url, updated_at=now()
            )
    payment.provider_reference = payment.provider_reference or hosted.reference
    payment.redirect_url = hosted.redirect_url
    return OpenedPayment(payment, hosted.redirect_url)


def _commit_without_waiting_for_the_disk() -> None:
    """The current transaction commits without waiting for its WAL flush (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _wait_for_session(payment: Payment) -> str:
    """The URL another request is fetching for this payment, polled for SESSION_WAIT at
    most; empty when it does not come."""
    deadline = time.monotonic() + SESSION_WAIT.total_seconds()
    while time.monotonic() < deadline:
        found = (
            Payment.objects.filter(id=payment.id)
            .values_list("redirect_url", "provider_reference")
            .first()
        )
        if found and found[0]:
            payment.redirect_url, payment.provider_reference = found
            return found[0]
        time.sleep(POLL_SECONDS)
    return ""


def pay_order(*, order: Order, return_url: str) -> OpenedPayment:
    """Pay for a pending order: reuse its open payment (same provider session, never a
    second charge), or start a new one when the last attempt ended."""
    with transaction.atomic():
        order, _seller_orders = lock_order(order_id=order.id)
        if order.status != Order.Status.PENDING_PAYMENT:
            raise InvalidTransition(
                _("This order is not waiting for payment."), code="order_not_payable"
            )
        payment = (
            Payment.objects.select_for_update()
            .filter(order=order, status=Payment.Status.PENDING)
            .order_by("-id")
            .first()
        )
        if payment is None:
            payment = create_payment(order=order)
    return open_session(payment=payment, return_url=return_url)


def handle_notification(*, body: bytes, headers: dict[str, str], remote_addr: str) -> bool:
    """Verify, deduplicate by event id, apply. Returns False for a repeat delivery.

    Raises NotificationRejected (nothing written) for a notification that must not be acted
    on. Verification may call the provider (YooKassa is fetched back), so it runs before the
    transaction."""
    gateway = get_gateway()
    notification = gateway.parse_notification(body=body, headers=headers, remote_addr=remote_addr)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProviderEvent.objects.create(
                    provider=gateway.name,
                    event_id=notification.event_id[:200],
                    event_type=notification.kind[:64],
                    session_reference=notification.payment_reference[:255],
                    payload=dict(notification.payload),
                )
        except IntegrityError:
            logger.info("duplicate notification %s ignored", notification.event_id)
            return False
        _apply(provider=gateway.name, notification=notification)
    return True


def _lock_notified(
    *, provider: str, notification: Notification
) -> tuple[Order, list[SellerOrder], Q] | None:
    """The order of the payment a notification names, locked with its seller orders (the
    house lock order: lock_order), and what picks that payment out of the order's: by the
    provider's reference or, when the provider answered before we recorded its reference (a
    crash between its charge and our commit), by our own id, which travels with the payment
    as its metadata. None when no payment matches."""
    named = [Q(provider=provider, provider_reference=notification.payment_reference)]
    if notification.payment and notification.payment.merchant_reference:
        named.append(Q(provider=provider, public_id=notification.payment.merchant_reference))
    for which in named:
        locked = lock_order_named(order_ids=Payment.objects.filter(which).values("order_id"))
        if locked is not None:
            return (*locked, which)
    return None


def flag(
    *,
    provider: str,
    kind: str,
    source: str,
    fingerprint: str,
    payment: Payment | None = None,
    provider_reference: str = "",
    expected: str = "",
    observed: str = "",
    detail: str = "",
) -> None:
    """Record an anomaly for the operator once (the fingerprint keeps repeats out)."""
    # A savepoint of its own: a repeat's IntegrityError must not spoil the caller's work.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        PaymentAnomaly.objects.create(
            provider=provider,
            kind=kind,
            source=source,
            payment=payment,
            provider_reference=provider_reference[:255],
            expected=expected[:64],
            observed=observed[:64],
            detail=detail[:255],
            fingerprint=fingerprint[:200],
        )
    logger.warning("payment anomaly %s: %s %s", kind, provider_reference, detail)


def _apply(*, provider: str, notification: Notification) -> None:
    if notification.kind in {NotificationKind.REFUND_SUCCEEDED, NotificationKind.REFUND_FAILED}:
        apply_refund_notification(provider=provider, notification=notification)
        return
    if notification.kind not in {
        NotificationKind.PAYMENT_SUCCEEDED,
        NotificationKind.PAYMENT_FAILED,
    }:
        logger.info("notification kind %s acknowledged, nothing to do", notification.kind)
        return
    found = _lock_notified(provider=provider, notification=notification)
    if found is None:
        flag(
            provider=provider,
            kind=PaymentAnomaly.Kind.UNKNOWN_PAYMENT,
            source=PaymentAnomaly.Source.NOTIFICATION,
            fingerprint=f"{provider}:unknown:{notification.payment_reference}",
            provider_reference=notification.payment_reference,
            detail=notification.kind,
        )
        return
    # The house lock order: the order, its seller orders, then the payments: this one and,
    # in the same statement, the order's other open attempts (a capture voids them).
    order, seller_orders, which = found
    locked = list(
        Payment.objects.select_for_update()
        .filter(order_id=order.id)
        .filter(which | Q(status=Payment.Status.PENDING))
        .annotate(is_named=ExpressionWrapper(which, output_field=BooleanField()))
        .order_by("id")
    )
    payment: Payment = next(item for item in locked if item.is_named)
    others: list[Payment] = [item for item in locked if item.id != payment.id]
    if not payment.provider_reference:
        payment.provider_reference = notification.payment_reference[:255]
        payment.save(update_fields=["provider_reference", "updated_at"])
    observed = notification.payment
    if observed is not None and observed.amount != payment.money:
        flag(
            provider=provider,
            kind=PaymentAnomaly.Kind.AMOUNT_MISMATCH,
            source=PaymentAnomaly.Source.NOTIFICATION,
            fingerprint=f"{provider}:amount:{notification.event_id}",
            payment=payment,
            provider_reference=notification.payment_reference,
            expected=f"{payment.amount} {payment.currency}",
            observed=f"{observed.amount.amount} {observed.amount.currency}",
            detail=notification.kind,
        )
        return
    if notification.kind == NotificationKind.PAYMENT_SUCCEEDED:
        capture(order=order, seller_orders=seller_orders, payment=payment, others=others)
    else:
        _fail(order=order, payment=payment, reason=notification.reason or "declined")


def capture(
    *,
    order: Order,
    seller_orders: list[SellerOrder],
    payment: Payment,
    others: list[Payment],
) -> None:
    """The provider has the buyer's money. The first capture of a pending order pays it and
    goes to escrow; any other capture (a second tab, after expiry, a voided session) is
    refunded in full. Callers hold the order, seller order and payment locks; `others` are
    the order's other pending payments, locked with it."""
    if payment.status in TAKEN:
        return
    move_payment(payment, Payment.Status.CAPTURED, note=f"captured {payment.provider_reference}")
    payment.captured_at = now()
    # A pending order has no settling payment (the order is paid by exactly that capture;
    # the partial unique index on settles_order stands behind this).
    settles = order.status == Order.Status.PENDING_PAYMENT
    payment.settles_order = settles
    payment.save(update_fields=["status", "captured_at", "settles_order", "updated_at"])
    if settles:
        pay_locked_order(
            order=order, seller_orders=seller_orders, note=f"payment {payment.public_id}"
        )
        post_capture(
            key=f"capture:{payment.public_id}",
            memo=f"Order {order.number} paid",
            shares=[
                CaptureShare(
                    seller_order_id=item.id,
                    seller_id=item.seller_id,
                    buyer_amount=item.buyer_total,
                    seller_amount=item.total,
                    fx_margin=item.fx_margin,
                    duty=item.buyer_duty_collected,
                    vat=item.buyer_vat_collected,
                )
                for item in seller_orders
            ],
        )
        _void_other_attempts(settled=payment, others=others)
        return
    post_duplicate_capture(
        key=f"capture:{payment.public_id}",
        memo=f"Order {order.number}: second payment {payment.public_id}, refunded",
        buyer_amount=payment.money,
    )
    refund = Refund.objects.create(
        payment=payment,
        kind=Refund.Kind.DUPLICATE_CAPTURE,
        currency=payment.currency,
        amount=payment.amount,
        reason=_("The order was already paid or cancelled; this payment is returned in full."),
    )
    payment.refunded_amount = payment.amount
    move_payment(payment, Payment.Status.REFUNDED, note=f"refund {refund.public_id}")
    payment.save(update_fields=["status", "refunded_amount", "updated_at"])
    queue_refund_after_commit(refund_id=refund.id)


def _void_other_attempts(*, settled: Payment, others: list[Payment]) -> None:
    """Other open attempts on a paid order are voided, here and at the provider (after
    commit, best effort: if one is captured anyway, it is refunded as a duplicate)."""
    for other in others:
        move_payment(other, Payment.Status.VOIDED, note=f"order paid by {settled.public_id}")
        other.save(update_fields=["status", "updated_at"])
        if other.provider_reference:
            transaction.on_commit(
                functools.partial(_cancel_at_provider, other.provider, other.provider_reference)
            )


def _cancel_at_provider(provider: str, reference: str) -> None:
    try:
        get_gateway(provider).cancel(reference=reference, idempotency_key=f"cancel-{reference}")
    except ProviderError as error:
        logger.warning("could not cancel %s at %s: %s", reference, provider, error.message)


def _fail(*, order: Order, payment: Payment, reason: str) -> None:
    """The provider declined the attempt, or the buyer abandoned it there. The order stays
    payable until its deadline, its stock still reserved: the buyer pays again from the
    order page (a new attempt, same amount), or cancels it and gets the items back in the
    cart; expire_unpaid_orders cancels it at the deadline (ADR 0006, "Declined is not
    the end")."""
    if payment.status != Payment.Status.PENDING:
        # A failure after a success (or after we gave up) is recorded by its ProviderEvent
        # row and changes nothing.
        logger.info("failure for %s in status %s ignored", payment.public_id, payment.status)
        return
    move_payment(payment, Payment.Status.FAILED, note=reason)
    payment.failure_reason = reason[:255]
    payment.save(update_fields=["status", "failure_reason", "updated_at"])
    transaction.on_commit(lambda: publish(PaymentDeclined(payment.id)), robust=True)


def _cancel_unpaid(*, order_id: int, reason: str, close_as: str, payment_note: str) -> bool:
    """Cancel a pending order and close its open attempts (`close_as`: expired or voided),
    here and at the provider after commit. Runs in the caller's transaction; False when the
    order was no longer pending once locked."""
    order, _seller_orders = lock_order(order_id=order_id)
    if order.status != Order.Status.PENDING_PAYMENT:
        return False
    payments = list(
        Payment.objects.select_for_update().filter(order_id=order_id, status=Payment.Status.PENDING)
    )
    cancel_unpaid_order(order_id=order_id, reason=reason)
    for payment in payments:
        move_payment(payment, close_as, note=payment_note)
        payment.failure_reason = payment_note
        payment.save(update_fields=["status", "failure_reason", "updated_at"])
        if payment.provider_reference:
            transaction.on_commit(
                functools.partial(_cancel_at_provider, payment.provider, payment.provider_reference)
            )
    return True


def expire_unpaid_orders() -> int:
    """Cancel orders past their payment deadline (declined attempts or none at all); each in
    its own transaction. Their open provider sessions are cancelled after commit."""
    expired = 0
    for order_id in list_expired_unpaid_order_ids(before=now()):
        with transaction.atomic():
            if not _cancel_unpaid(
                order_id=order_id,
                reason=EXPIRY_REASON,
                close_as=Payment.Status.EXPIRED,
                payment_note="deadline passed",
            ):
                # Paid (or cancelled by the buyer) between the listing and the lock.
                logger.info("order %s settled before it could expire", order_id)
                continue
            expired += 1
    return expired


def cancel_unpaid_order_by_buyer(*, order: Order) -> Order:
    """The buyer starts over: their unpaid order (fetched scoped to them by the caller) is
    cancelled, its stock released and its open attempts voided at the provider. The items
    go back to the buyer's cart (the cart app hears OrderCancelled). Safe to repeat; a paid
    order is refused with `order_not_payable`."""
    with transaction.atomic():
        cancelled = _cancel_unpaid(
            order_id=order.id,
            reason=BUYER_CANCEL_REASON,
            close_as=Payment.Status.VOIDED,
            payment_note=BUYER_CANCEL_REASON,
        )
        order.refresh_from_db()
    if not cancelled and order.status != Order.Status.CANCELLED:
        raise InvalidTransition(
            _("This order is paid already and cannot be cancelled here."),
            code="order_not_payable",
        )
    return order


@transaction.atomic
def resolve_anomaly(*, anomaly_id: int) -> PaymentAnomaly:
    """The operator has dealt with an anomaly. Resolving it again keeps the first time."""
    anomaly = PaymentAnomaly.objects.select_for_update().filter(pk=anomaly_id).first()
    if anomaly is None:
        raise NotFound(_("Anomaly not found"), code="anomaly_not_found")
    if anomaly.resolved_at is None:
        anomaly.resolved_at = now()
        anomaly.save(update_fields=["resolved_at"])
    return anomaly
