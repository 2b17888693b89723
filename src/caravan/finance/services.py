"""Money use cases across orders, payments and the ledger: cancellations of paid parcels,
operator refunds, and escrow release (docs/decisions/0006-money.md)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.kernel.retry import retry_on_deadlock
from caravan.ledger.flows import post_release
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import party_for_seller, seller_order_reference
from caravan.orders.models import OrderLine, SellerOrder
from caravan.orders.selectors import get_buyer_seller_order, get_seller_order
from caravan.orders.services import (
    cancel_paid_seller_order,
    confirm_delivery_automatically,
    lock_order,
)
from caravan.payments.models import Refund
from caravan.sellers.models import Seller

from .refunds import refund_in_transaction, refundable, released_commission

logger = logging.getLogger(__name__)

MAX_REASON = 255


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Please give a reason."), code="reason_required")
    return reason[:MAX_REASON]


def _cancel(*, seller_order_id: int, actor: User | None, reason: str, kind: str) -> Refund | None:
    with transaction.atomic():
        order_id = SellerOrder.objects.values_list("order_id", flat=True).get(id=seller_order_id)
        order, seller_orders = lock_order(order_id=order_id)
        seller_order = next(item for item in seller_orders if item.id == seller_order_id)
        if seller_order.status != SellerOrder.Status.AWAITING_SHIPMENT:
            raise InvalidTransition(
                _("Only a paid parcel that has not shipped yet can be cancelled."),
                code="not_cancellable",
            )
        cancel_paid_seller_order(
            order=order,
            seller_orders=seller_orders,
            seller_order=seller_order,
            actor=actor,
            reason=reason,
        )
        left = refundable(seller_order)
        if left.is_zero:
            # The operator already refunded the whole parcel: cancelling owes nothing more.
            return None
        return refund_in_transaction(
            order=order,
            seller_order=seller_order,
            amount=left,
            kind=kind,
            reason=reason,
            actor=actor,
        )


def cancel_by_buyer(*, buyer: User, seller_order_public_id: str, reason: str = "") -> Refund | None:
    """The buyer changes their mind before the parcel ships: cancelled, stock returned, paid
    back what is left to refund (None when an earlier refund already returned it all)."""
    seller_order = get_buyer_seller_order(buyer=buyer, public_id=seller_order_public_id)
    return _cancel(
        seller_order_id=seller_order.id,
        actor=buyer,
        reason=reason.strip()[:MAX_REASON] or _("Cancelled by the buyer"),
        kind=Refund.Kind.BUYER_CANCELLED,
    )


def cancel_by_seller(
    *, seller: Seller, seller_order_public_id: str, reason: str, actor: User
) -> Refund | None:
    """The seller cannot fulfil the parcel (a reason is required): cancelled, stock
    returned, the buyer paid back in full."""
    seller_order = get_seller_order(seller=seller, public_id=seller_order_public_id)
    return _cancel(
        seller_order_id=seller_order.id,
        actor=actor,
        reason=_reason(reason),
        kind=Refund.Kind.SELLER_CANCELLED,
    )


@retry_on_deadlock
def refund_by_operator(
    *,
    seller_order_public_id: str,
    reason: str,
    actor: User,
    amount: Decimal | None = None,
    lines: Sequence[tuple[int, int]] = (),
) -> Refund:
    """The operator refunds a seller order in part or in full: an amount in the buyer's
    currency, or chosen lines and quantities (their buyer prices), also after release."""
    reason = _reason(reason)
    with transaction.atomic():
        try:
            found = SellerOrder.objects.only("id", "order_id").get(public_id=seller_order_public_id)
        except SellerOrder.DoesNotExist as error:
            raise NotFound(_("order not found")) from error
        order, seller_orders = lock_order(order_id=found.order_id)
        seller_order = next(item for item in seller_orders if item.id == found.id)
        money = _operator_amount(seller_order, amount=amount, lines=lines)
        return refund_in_transaction(
            order=order,
            seller_order=seller_order,
            amount=money,
            kind=Refund.Kind.OPERATOR,
            reason=reason,
            actor=actor,
            lines=lines,
        )


def _operator_amount(
    seller_order: SellerOrder, *, amount: Decimal | None, lines: Sequence[tuple[int, int]]
) -> Money:
    if (amount is None) == (not lines):
        raise ValidationFailed(
            _("Refund either an amount or some lines."), code="refund_amount_invalid"
        )
    if amount is not None:
        return Money(amount, seller_order.buyer_currency)
    by_id = {line.id: line for line in OrderLine.objects.filter(seller_order=seller_order)}
    # Units refunded by earlier line refunds cannot be refunded again (the caller holds the
    # seller order's lock, so no other refund of it is being decided meanwhile).
    refunded: dict[int, int] = {}
    for earlier in Refund.objects.filter(seller_order=seller_order).values_list("lines", flat=True):
        for line_id, quantity in earlier or []:
            refunded[line_id] = refunded.get(line_id, 0) + quantity
    wanted: dict[int, int] = {}
    for line_id, quantity in lines:
        wanted[line_id] = wanted.get(line_id, 0) + quantity
    total = Money.zero(seller_order.buyer_currency)
    for line_id, quantity in lines:
        line = by_id.get(line_id)
        left = line.quantity - refunded.get(line_id, 0) if line is not None else 0
        if line is None or quantity <= 0 or wanted[line_id] > left:
            raise ValidationFailed(
                _("Line %(line)s: choose between 1 and the units not refunded yet.")
                % {"line": line_id},
                code="refund_line_invalid",
            )
        total += Money(line.buyer_unit_price_amount, seller_order.buyer_currency) * quantity
    return total


@dataclass(frozen=True)
class ReleaseResult:
    confirmed: int
    released: int


def latest_promised_date(seller_order: SellerOrder) -> datetime:
    """The promise counted from placement, or from shipping when the seller shipped late: a
    buyer is never auto-confirmed for a parcel still in transit on its own schedule."""
    start = max(seller_order.created_at, seller_order.shipped_at or seller_order.created_at)
    return start + timedelta(days=seller_order.delivery_days_max)


def release_escrow(*, at: datetime | None = None) -> ReleaseResult:
    """Confirm parcels nobody confirmed AUTO_CONFIRM_DAYS after their latest promised date,
    then release the escrow of every delivered parcel whose protection window is over.
    Each seller order in its own transaction; safe to run twice."""
    moment = at or now()
    overdue = SellerOrder.objects.filter(status=SellerOrder.Status.SHIPPED).only(
        "id", "created_at", "shipped_at", "delivery_days_max"
    )
    confirmed = 0
    grace = timedelta(days=settings.AUTO_CONFIRM_DAYS)
    for seller_order in overdue:
        if latest_promised_date(seller_order) + grace <= moment:
            try:
                confirm_delivery_automatically(seller_order_id=seller_order.id, at=moment)
            except InvalidTransition:
                continue  # delivered or confirmed meanwhile
            confirmed += 1
    due = SellerOrder.objects.filter(
        status=SellerOrder.Status.DELIVERED,
        escrow_released_at__isnull=True,
        protection_ends_at__lte=moment,
    ).values_list("id", flat=True)
    released = sum(release_seller_order(seller_order_id=item, at=moment) for item in list(due))
    return ReleaseResult(confirmed=confirmed, released=released)


@retry_on_deadlock
def release_seller_order(*, seller_order_id: int, at: datetime | None = None) -> bool:
    """Move one seller order's escrow to the seller's payable, less commission. False when
    there is nothing to do (released already, window not over, not delivered)."""
    moment = at or now()
    with transaction.atomic():
        order_id = SellerOrder.objects.values_list("order_id", flat=True).get(id=seller_order_id)
        _order, seller_orders = lock_order(order_id=order_id)
        seller_order = next(item for item in seller_orders if item.id == seller_order_id)
        if (
            seller_order.escrow_released_at is not None
            or seller_order.status != SellerOrder.Status.DELIVERED
            or seller_order.protection_ends_at is None
            or seller_order.protection_ends_at > moment
        ):
            return False
        escrow = get_balance(
            purpose="escrow",
            party=party_for_seller(seller_order.seller_id),
            currency=seller_order.currency,
            reference=seller_order_reference(seller_order.id),
        )
        if escrow.amount > 0:
            post_release(
                key=f"release:{seller_order.public_id}",
                memo=f"Escrow released for {seller_order.number}",
                seller_order_id=seller_order.id,
                seller_id=seller_order.seller_id,
                escrow=escrow,
                commission=released_commission(seller_order, released=escrow),
            )
        seller_order.escrow_released_at = moment
        seller_order.save(update_fields=["escrow_released_at"])
    logger.info("escrow of %s released: %s", seller_order.number, escrow)
    return True
