"""What each domain event tells whom.

The subscription only hands the event to a Celery task (`dispatch`): the domain's request
(a checkout, a provider's notification) pays for one broker message, not for rendering
mail. The task (`handle`) reads the rows it needs and queues the messages (services.queue);
it is safe to run twice, the outbox keys see to that. In the demo the task runs in-process.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from caravan.conversations.events import OrderMessagePosted
from caravan.conversations.models import Side, ThreadMessage
from caravan.kernel.events import subscribe
from caravan.orders.events import (
    OrderCancelled,
    OrderPaid,
    OrderPlaced,
    SellerOrderCancelled,
    SellerOrderDelivered,
    SellerOrderShipped,
)
from caravan.orders.models import Order, SellerOrder
from caravan.payments.events import PaymentDeclined, RefundSucceeded
from caravan.payments.models import Payment, Refund
from caravan.payouts.events import PayoutSettled
from caravan.payouts.models import Payout
from caravan.sellers.models import Membership

from . import compose, kinds
from .services import Recipient, queue

# Who on a seller's staff hears about what: orders go to those who ship them, payouts to
# those who keep the books; owners hear both.
ORDER_ROLES = (Membership.Role.OWNER, Membership.Role.MANAGER, Membership.Role.FULFILMENT)
MONEY_ROLES = (Membership.Role.OWNER, Membership.Role.FINANCE)


def staff(seller_id: int, roles: tuple[str, ...]) -> list[Recipient]:
    members = Membership.objects.filter(seller_id=seller_id, role__in=roles).select_related("user")
    return [Recipient(user=member.user) for member in members.order_by("id")]


def buyer_of(order: Order, *, with_phone: bool = False) -> list[Recipient]:
    if not with_phone:
        return [Recipient(user=order.buyer)]
    return [
        Recipient(user=order.buyer, phone=order.ship_to_phone, phone_region=order.ship_to_country)
    ]


def _order(order_id: int) -> Order:
    return Order.objects.select_related("buyer").get(id=order_id)


def _seller_order(seller_order_id: int) -> SellerOrder:
    return SellerOrder.objects.select_related("order__buyer", "seller").get(id=seller_order_id)


def on_order_placed(event: OrderPlaced) -> None:
    order = _order(event.order_id)
    queue(
        kind=kinds.ORDER_PLACED,
        about=order.public_id,
        recipients=buyer_of(order),
        compose=lambda: compose.order_placed(order),
    )


def on_order_paid(event: OrderPaid) -> None:
    order = _order(event.order_id)
    queue(
        kind=kinds.ORDER_PAID,
        about=order.public_id,
        recipients=buyer_of(order),
        compose=lambda: compose.order_paid(order),
    )
    for seller_order in order.seller_orders.select_related("seller").order_by("id"):
        queue(
            kind=kinds.SELLER_NEW_ORDER,
            about=seller_order.public_id,
            recipients=staff(seller_order.seller_id, ORDER_ROLES),
            compose=functools.partial(compose.seller_new_order, seller_order),
        )


def on_order_cancelled(event: OrderCancelled) -> None:
    order = _order(event.order_id)
    queue(
        kind=kinds.ORDER_CANCELLED,
        about=order.public_id,
        recipients=buyer_of(order),
        compose=lambda: compose.order_cancelled(order, reason=event.reason),
    )


def on_seller_order_shipped(event: SellerOrderShipped) -> None:
    seller_order = _seller_order(event.seller_order_id)
    queue(
        kind=kinds.PARCEL_SHIPPED,
        about=seller_order.public_id,
        recipients=buyer_of(seller_order.order, with_phone=True),
        compose=lambda: compose.parcel_shipped(seller_order),
    )


def on_seller_order_delivered(event: SellerOrderDelivered) -> None:
    seller_order = _seller_order(event.seller_order_id)
    queue(
        kind=kinds.PARCEL_DELIVERED,
        about=seller_order.public_id,
        recipients=buyer_of(seller_order.order),
        compose=lambda: compose.parcel_delivered(seller_order),
    )


def on_seller_order_cancelled(event: SellerOrderCancelled) -> None:
    seller_order = _seller_order(event.seller_order_id)
    queue(
        kind=kinds.PARCEL_CANCELLED,
        about=seller_order.public_id,
        recipients=buyer_of(seller_order.order),
        compose=lambda: compose.parcel_cancelled(seller_order, reason=event.reason),
    )
    queue(
        kind=kinds.SELLER_ORDER_CANCELLED,
        about=seller_order.public_id,
        recipients=staff(seller_order.seller_id, ORDER_ROLES),
        compose=lambda: compose.seller_order_cancelled(seller_order, reason=event.reason),
    )


def on_payment_declined(event: PaymentDeclined) -> None:
    payment = Payment.objects.select_related("order__buyer").get(id=event.payment_id)
    queue(
        kind=kinds.PAYMENT_DECLINED,
        about=payment.public_id,
        recipients=buyer_of(payment.order),
        compose=lambda: compose.payment_declined(payment),
    )


def on_refund_succeeded(event: RefundSucceeded) -> None:
    refund = Refund.objects.select_related("payment__order__buyer").get(id=event.refund_id)
    queue(
        kind=kinds.REFUND_SENT,
        about=refund.public_id,
        recipients=buyer_of(refund.payment.order),
        compose=lambda: compose.refund_sent(refund),
    )


def on_payout_settled(event: PayoutSettled) -> None:
    payout = Payout.objects.get(id=event.payout_id)
    queue(
        kind=kinds.SELLER_PAYOUT_SENT,
        about=payout.public_id,
        recipients=staff(payout.seller_id, MONEY_ROLES),
        compose=lambda: compose.seller_payout_sent(payout),
    )


def on_order_message_posted(event: OrderMessagePosted) -> None:
    """The other side hears of each message: the buyer of a seller's, the staff who handle
    orders of a buyer's. Keyed by the message, so a repeated event writes nothing."""
    message = ThreadMessage.objects.select_related(
        "thread__seller_order__order__buyer", "thread__seller_order__seller"
    ).get(id=event.message_id)
    seller_order = message.thread.seller_order
    if message.side == Side.BUYER:
        queue(
            kind=kinds.BUYER_MESSAGE,
            about=message.public_id,
            recipients=staff(seller_order.seller_id, ORDER_ROLES),
            compose=lambda: compose.buyer_message(message),
        )
    else:
        queue(
            kind=kinds.SELLER_MESSAGE,
            about=message.public_id,
            recipients=buyer_of(seller_order.order),
            compose=lambda: compose.seller_message(message),
        )


HANDLERS: dict[type, Callable[[Any], None]] = {
    OrderPlaced: on_order_placed,
    OrderPaid: on_order_paid,
    OrderCancelled: on_order_cancelled,
    SellerOrderShipped: on_seller_order_shipped,
    SellerOrderDelivered: on_seller_order_delivered,
    SellerOrderCancelled: on_seller_order_cancelled,
    PaymentDeclined: on_payment_declined,
    RefundSucceeded: on_refund_succeeded,
    PayoutSettled: on_payout_settled,
    OrderMessagePosted: on_order_message_posted,
}
EVENT_TYPES = {event_type.__name__: event_type for event_type in HANDLERS}


def dispatch(event: object) -> None:
    from .tasks import handle_event_task

    handle_event_task.delay(type(event).__name__, dataclasses.asdict(event))  # type: ignore[call-overload]


def handle(*, event_name: str, fields: dict[str, Any]) -> None:
    event_type = EVENT_TYPES[event_name]
    HANDLERS[event_type](event_type(**fields))


def subscribe_all() -> None:
    for event_type in HANDLERS:
        subscribe(event_type, dispatch)
