"""An unpaid order that ends gives the buyer their cart back (ADR 0006, "Declined is not
the end").

Checkout moves the cart into the order: the cart is emptied when the order is placed, and
while the order waits for payment its items live there (reserved, payable again after a
decline). When the order is cancelled unpaid (the buyer starts over, or the deadline
passes), its items that can still be bought go back into the buyer's cart. So the items are
in exactly one place at a time, and a buyer never checks the same items out twice by
accident.
"""

from __future__ import annotations

import logging

from django.db import transaction

from caravan.offers.models import Offer
from caravan.offers.selectors import buyable_offer_filter
from caravan.orders.events import OrderCancelled
from caravan.orders.models import Order, OrderLine

from .models import Cart, CartLine
from .services import MAX_CART_LINES, MAX_LINE_QUANTITY

logger = logging.getLogger(__name__)


def _quantity_back(*, offer: Offer, ordered: int, in_cart: int) -> int:
    """How many more of the offer the cart may take: what was ordered, within the stock and
    the per-line and per-order limits; 0 when even that falls under the seller's minimum."""
    ceiling = min(MAX_LINE_QUANTITY, offer.stock_quantity)
    if offer.max_order_quantity is not None:
        ceiling = min(ceiling, offer.max_order_quantity)
    wanted = min(in_cart + ordered, ceiling)
    if wanted < offer.min_order_quantity:
        return 0
    return max(wanted - in_cart, 0)


@transaction.atomic
def return_order_to_cart(*, order_id: int) -> list[CartLine]:
    """Put an unpaid, cancelled order's items back into its buyer's cart: each offer that is
    still on sale, as many as were ordered within today's stock and limits, added to what
    the cart holds. Returns the lines it added to or created. A paid or live order puts
    nothing back."""
    order = Order.objects.select_related("buyer").get(id=order_id)
    if order.status != Order.Status.CANCELLED or order.paid_at is not None:
        return []
    ordered: dict[int, int] = {}
    for offer_id, quantity in OrderLine.objects.filter(
        seller_order__order=order, offer__isnull=False
    ).values_list("offer_id", "quantity"):
        ordered[offer_id] = ordered.get(offer_id, 0) + quantity
    offers = Offer.objects.filter(buyable_offer_filter(), id__in=list(ordered)).order_by("id")
    cart, _created = Cart.objects.get_or_create(user=order.buyer)
    cart = Cart.objects.select_for_update().get(id=cart.id)
    lines = {line.offer_id: line for line in CartLine.objects.filter(cart=cart)}
    touched = []
    for offer in offers:
        line = lines.get(offer.id)
        more = _quantity_back(
            offer=offer, ordered=ordered[offer.id], in_cart=line.quantity if line else 0
        )
        if not more:
            continue
        if line is None:
            if len(lines) >= MAX_CART_LINES:
                break
            line = CartLine.objects.create(cart=cart, offer=offer, quantity=more)
            lines[offer.id] = line
        else:
            line.quantity += more
            line.save(update_fields=["quantity"])
        touched.append(line)
    cart.save(update_fields=["updated_at"])
    return touched


def on_order_cancelled(event: OrderCancelled) -> None:
    """Runs after the cancellation's commit (the stock is back by then). A failure here
    leaves the cart as it was (the order page still lists every item) and must not keep
    the event from its other subscribers (the buyer's mail), so it is logged, not raised."""
    try:
        lines = return_order_to_cart(order_id=event.order_id)
    except Exception:
        logger.exception("order %s: its items could not be put back in the cart", event.order_id)
        return
    logger.info("order %s: %s cart lines given back", event.order_id, len(lines))
