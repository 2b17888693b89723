"""Refunds of a seller order: how much, split how, posted where (docs/decisions/0006).

A refund is decided inside one transaction that holds the house locks (order, seller
orders, payment, ledger accounts): the amount is checked against what is left to refund,
split into the seller's currency by the order's frozen figures, posted to the ledger (out of
escrow before release, clawed back from the seller after), counted on the payment, and sent
to the provider after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.ledger.flows import post_refund_from_escrow, post_refund_from_payable
from caravan.orders.models import Order, SellerOrder
from caravan.payments.models import Payment, Refund
from caravan.payments.refunds import queue_refund_after_commit, record_refund_on_payment


@dataclass(frozen=True)
class RefundSplit:
    buyer: Money  # goods and delivery, in the buyer currency
    seller: Money
    fx_margin: Money
    commission: Money  # returned by the platform; only after release
    # The DDP duty and VAT returned on top of `buyer` (ADR 0010), in the buyer currency.
    duty: Money
    vat: Money

    @property
    def paid_back(self) -> Money:
        """What the provider returns to the buyer."""
        return self.buyer + self.duty + self.vat


def proportion(total: Money, part: Decimal, whole: Decimal) -> Money:
    """`total * part / whole`, rounded to the currency's minor unit (a named rounding point
    of ADR 0006: the seller-currency side of a buyer-currency refund)."""
    return Money(total.amount * part / whole, total.currency).rounded()


def _refunded_so_far(seller_order: SellerOrder) -> dict[str, Decimal]:
    totals = Refund.objects.filter(seller_order=seller_order).aggregate(
        paid_back=Sum("amount"),
        seller=Sum("seller_amount"),
        margin=Sum("fx_margin_amount"),
        commission=Sum("commission_returned_amount"),
        duty=Sum("duty_amount"),
        vat=Sum("vat_amount"),
    )
    so_far = {name: Decimal(value or 0) for name, value in totals.items()}
    # A refund's amount is what went back to the buyer; its goods and delivery part is
    # what the seller order's limit counts.
    so_far["buyer"] = so_far["paid_back"] - so_far["duty"] - so_far["vat"]
    return so_far


def released_commission(seller_order: SellerOrder, *, released: Money) -> Money:
    """The commission taken when `released` left escrow: the whole commission for a whole
    order, a proportional part for what refunds before release left of it."""
    if released == seller_order.total:
        return seller_order.commission
    return proportion(seller_order.commission, released.amount, seller_order.total_amount)


def refundable(seller_order: SellerOrder) -> Money:
    """What can still be refunded on the seller order's goods and delivery, in the buyer
    currency (the DDP customs that go back with it come on top: split_refund)."""
    so_far = _refunded_so_far(seller_order)
    return seller_order.buyer_total - Money(so_far["buyer"], seller_order.buyer_currency)


def split_refund(seller_order: SellerOrder, amount: Money) -> RefundSplit:
    """Split a buyer-currency refund by the order's frozen figures. The refund that empties
    the seller order takes exactly what is left on every side, so rounding strands nothing."""
    so_far = _refunded_so_far(seller_order)
    left_buyer = seller_order.buyer_total_amount - so_far["buyer"]
    if amount.currency != seller_order.buyer_currency:
        raise ValidationFailed(_("A refund is made in the currency the buyer paid in."))
    if amount.amount <= 0 or amount.rounded() != amount:
        raise ValidationFailed(_("Enter a positive amount."), code="refund_amount_invalid")
    if amount.amount > left_buyer:
        raise ValidationFailed(
            _("At most %(amount)s can still be refunded on this order.")
            % {"amount": Money(left_buyer, amount.currency)},
            code="refund_exceeds_payment",
        )
    left_seller = seller_order.total - Money(so_far["seller"], seller_order.currency)
    left_margin = seller_order.fx_margin - Money(so_far["margin"], seller_order.buyer_currency)
    released = seller_order.escrow_released_at is not None
    if amount.amount == left_buyer:
        seller, margin = left_seller, left_margin
    else:
        whole = seller_order.buyer_total_amount
        seller = min(proportion(seller_order.total, amount.amount, whole), left_seller)
        margin = min(proportion(seller_order.fx_margin, amount.amount, whole), left_margin)
    duty, vat = _customs_share(
        seller_order, amount, so_far=so_far, empties=amount.amount == left_buyer
    )
    commission = Money.zero(seller_order.currency)
    if released:
        taken = released_commission(seller_order, released=_released_amount(seller_order))
        left_commission = taken - Money(so_far["commission"], seller_order.currency)
        if amount.amount == left_buyer:
            commission = left_commission
        else:
            # Rounded on the running total of what was taken back after release, not per
            # refund: per-refund rounding drifts (three refunds of 0.37 each round 0.0149
            # down to 0.01) until the last refund's share of commission exceeds its seller
            # amount and the ledger refuses it. The first refund's share is as before.
            before = seller_order.total - _released_amount(seller_order)
            taken_back = so_far["seller"] - before.amount + seller.amount
            commission = proportion(
                seller_order.commission, taken_back, seller_order.total_amount
            ) - Money(so_far["commission"], seller_order.currency)
            commission = max(min(commission, left_commission), Money.zero(seller_order.currency))
    return RefundSplit(
        buyer=amount, seller=seller, fx_margin=margin, commission=commission, duty=duty, vat=vat
    )


def _customs_share(
    seller_order: SellerOrder, amount: Money, *, so_far: dict[str, Decimal], empties: bool
) -> tuple[Money, Money]:
    """The DDP duty and VAT returned with a refund of `amount` of goods and delivery: the
    same share of each as `amount` is of the seller order's buyer total, rounded half-up;
    the refund that empties the seller order returns all that is left of them (ADR 0010).
    A buyer refunded for goods owes no duty on them; DAP duty was never ours to return."""
    left_duty = seller_order.buyer_duty_collected - Money(so_far["duty"], amount.currency)
    left_vat = seller_order.buyer_vat_collected - Money(so_far["vat"], amount.currency)
    if empties:
        return left_duty, left_vat
    whole = seller_order.buyer_total_amount
    return (
        min(proportion(seller_order.buyer_duty_collected, amount.amount, whole), left_duty),
        min(proportion(seller_order.buyer_vat_collected, amount.amount, whole), left_vat),
    )


def _released_amount(seller_order: SellerOrder) -> Money:
    """What left escrow at release: the seller total less the refunds made before it."""
    before = Refund.objects.filter(seller_order=seller_order, after_release=False).aggregate(
        seller=Sum("seller_amount")
    )["seller"]
    return seller_order.total - Money(Decimal(before or 0), seller_order.currency)


def settling_payment(order: Order) -> Payment:
    """The captured payment that paid the order, locked (after the order's own locks)."""
    payment = Payment.objects.select_for_update().filter(order=order, settles_order=True).first()
    if payment is None:
        raise ValidationFailed(_("This order has not been paid."), code="order_not_paid")
    return payment


def refund_in_transaction(
    *,
    order: Order,
    seller_order: SellerOrder,
    amount: Money,
    kind: str,
    reason: str,
    actor: User | None,
    lines: Sequence[tuple[int, int]] = (),
) -> Refund:
    """Decide one refund. The caller holds lock_order(); this takes the payment's lock, then
    the ledger's, and queues the provider call for after commit."""
    payment = settling_payment(order)
    split = split_refund(seller_order, amount)
    after_release = seller_order.escrow_released_at is not None
    refund = Refund.objects.create(
        payment=payment,
        seller_order=seller_order,
        kind=kind,
        currency=amount.currency,
        amount=split.paid_back.amount,
        duty_amount=split.duty.amount,
        vat_amount=split.vat.amount,
        seller_currency=seller_order.currency,
        seller_amount=split.seller.amount,
        fx_margin_amount=split.fx_margin.amount,
        commission_returned_amount=split.commission.amount,
        after_release=after_release,
        lines=[list(line) for line in lines],
        reason=reason[:255],
        requested_by=actor,
    )
    memo = f"Refund {refund.public_id} on {seller_order.number}: {reason}"[:255]
    if after_release:
        post_refund_from_payable(
            key=f"refund:{refund.public_id}",
            memo=memo,
            seller_order_id=seller_order.id,
            seller_id=seller_order.seller_id,
            buyer_amount=split.buyer,
            seller_amount=split.seller,
            fx_margin=split.fx_margin,
            commission_returned=split.commission,
            duty=split.duty,
            vat=split.vat,
        )
    else:
        post_refund_from_escrow(
            key=f"refund:{refund.public_id}",
            memo=memo,
            seller_order_id=seller_order.id,
            seller_id=seller_order.seller_id,
            buyer_amount=split.buyer,
            seller_amount=split.seller,
            fx_margin=split.fx_margin,
            duty=split.duty,
            vat=split.vat,
        )
    record_refund_on_payment(
        payment=payment, amount=split.paid_back, note=f"refund {refund.public_id}"
    )
    queue_refund_after_commit(refund_id=refund.id)
    return refund
