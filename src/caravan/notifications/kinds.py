"""Every kind of message Caravan sends, who gets it, and whether a user may turn it off.

Required kinds are the ones an order needs its parties to hear (what was bought, paid,
declined, cancelled, refunded, shipped; a new order to ship). The rest are optional: a user
turns them off on the preferences page or all at once with the unsubscribe link."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    audience: str  # "buyer" or "seller"
    optional: bool
    sms: bool = False


ORDER_PLACED = "order_placed"
ORDER_PAID = "order_paid"
PAYMENT_DECLINED = "payment_declined"
ORDER_CANCELLED = "order_cancelled"
PARCEL_SHIPPED = "parcel_shipped"
PARCEL_DELIVERED = "parcel_delivered"
PARCEL_CANCELLED = "parcel_cancelled"
REFUND_SENT = "refund_sent"
SELLER_NEW_ORDER = "seller_new_order"
SELLER_SHIP_BY_REMINDER = "seller_ship_by_reminder"
SELLER_ORDER_CANCELLED = "seller_order_cancelled"
SELLER_PAYOUT_SENT = "seller_payout_sent"
SELLER_MESSAGE = "seller_message"
BUYER_MESSAGE = "buyer_message"

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(ORDER_PLACED, _("Order placed"), "buyer", optional=False),
        Kind(ORDER_PAID, _("Payment received"), "buyer", optional=False),
        Kind(PAYMENT_DECLINED, _("Payment declined"), "buyer", optional=False),
        Kind(ORDER_CANCELLED, _("Unpaid order cancelled"), "buyer", optional=False),
        Kind(PARCEL_SHIPPED, _("Parcel shipped, with its tracking number"), "buyer", False, True),
        Kind(PARCEL_DELIVERED, _("Parcel delivered"), "buyer", optional=True),
        Kind(PARCEL_CANCELLED, _("Parcel cancelled"), "buyer", optional=False),
        Kind(REFUND_SENT, _("Refund sent"), "buyer", optional=False),
        Kind(SELLER_NEW_ORDER, _("New paid order to ship"), "seller", optional=False),
        Kind(SELLER_SHIP_BY_REMINDER, _("Reminder of a ship-by date"), "seller", optional=True),
        Kind(SELLER_ORDER_CANCELLED, _("Order cancelled"), "seller", optional=False),
        Kind(SELLER_PAYOUT_SENT, _("Payout sent"), "seller", optional=True),
        # The order page and the portal's badge still show a message to whoever turns these off.
        Kind(SELLER_MESSAGE, _("A seller's message about your order"), "buyer", optional=True),
        Kind(BUYER_MESSAGE, _("A buyer's message about an order"), "seller", optional=True),
    ]
}

OPTIONAL = frozenset(code for code, kind in KINDS.items() if kind.optional)
