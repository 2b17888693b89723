"""The ship-by reminder: a seller order paid and not shipped within REMINDER_LEAD of its
ship-by date gets one reminder to its seller's staff (Celery beat runs this hourly)."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from caravan.kernel.clock import now
from caravan.orders.models import SellerOrder

from . import compose, kinds
from .models import Message
from .services import queue
from .subscribers import ORDER_ROLES, staff

REMINDER_LEAD = timedelta(days=1)


def remind_ship_by(*, at: datetime | None = None) -> int:
    """Queue the reminders due at `at`; returns how many seller orders got one. Safe to run
    twice: an order already reminded is skipped here, and the outbox key stops a race."""
    moment = at or now()
    due = list(
        SellerOrder.objects.filter(
            status=SellerOrder.Status.AWAITING_SHIPMENT, ship_by__lte=moment + REMINDER_LEAD
        )
        .select_related("seller")
        .order_by("ship_by", "id")
    )
    prefix = f"{kinds.SELLER_SHIP_BY_REMINDER}:"
    reminded = set(
        Message.objects.filter(event_key__in=[prefix + item.public_id for item in due]).values_list(
            "event_key", flat=True
        )
    )
    count = 0
    for seller_order in due:
        if prefix + seller_order.public_id in reminded:
            continue
        queue(
            kind=kinds.SELLER_SHIP_BY_REMINDER,
            about=seller_order.public_id,
            recipients=staff(seller_order.seller_id, ORDER_ROLES),
            compose=functools.partial(compose.seller_ship_by_reminder, seller_order),
        )
        count += 1
    return count
