"""Conversations in the demo's past orders, so both sides show a thread and its badges:
Anna asked Shenzhen TechDirect about a parcel on its way and has one reply she has not read;
Ivan asked Gadget House about yesterday's order and nobody there has read it yet.

Played through the real services on the moved clock, after the money history (which places
the orders); nothing is written when that history was not played."""

from __future__ import annotations

from datetime import date

from caravan.conversations.models import Side, Thread
from caravan.conversations.services import mark_thread_read, post_message
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Membership

from .money_history import ANNA, IVAN, MOSCOW, SHENZHEN, Ago, clock_at, moment_of

# (when, side, text); a read marker follows each message its reader answered.
ANNA_AND_SHENZHEN: tuple[tuple[Ago, str, str], ...] = (
    (
        (6, "20:10"),
        Side.BUYER,
        "Hello! The tracking has not moved for two days. Is the parcel still on its way?",
    ),
    (
        (5, "09:05"),
        Side.SELLER,
        "Hello Anna, yes: it left our warehouse on time and is waiting for an export flight.\n"
        "Cainiao updates the tracking once the flight departs, usually within three days.",
    ),
    ((5, "12:02"), Side.BUYER, "Thank you, good to know!"),
    (
        (1, "10:30"),
        Side.SELLER,
        "Good news: the parcel has reached the sorting centre in Moscow. "
        "The courier will call you before delivery.",
    ),
)
IVAN_AND_GADGET_HOUSE: tuple[tuple[Ago, str, str], ...] = (
    (
        (1, "18:20"),
        Side.BUYER,
        "Hello! Could you pack it in a gift box? It is a birthday present. Thank you!",
    ),
)


def _play(
    seller_order: SellerOrder, script: tuple[tuple[Ago, str, str], ...], *, today: date
) -> int:
    owner = Membership.objects.get(seller=seller_order.seller, role=Membership.Role.OWNER).user
    buyer = seller_order.order.buyer
    for ago, side, text in script:
        with clock_at(moment_of(ago, today=today)):
            message = post_message(
                author=buyer if side == Side.BUYER else owner,
                seller_order_public_id=seller_order.public_id,
                side=side,
                body=text,
            )
    return message.thread_id


def seed_threads(*, today: date) -> int:
    """Returns how many threads were written (0 when the history has no such orders)."""
    written = 0
    on_its_way = (
        SellerOrder.objects.filter(
            order__buyer__email=ANNA, seller__slug=SHENZHEN, status=SellerOrder.Status.SHIPPED
        )
        .select_related("order__buyer", "seller")
        .order_by("created_at")
        .first()
    )
    if on_its_way is not None:
        thread_id = _play(on_its_way, ANNA_AND_SHENZHEN, today=today)
        # The seller read Anna's thanks before writing again; Anna has not read the news yet.
        thread = Thread.objects.get(id=thread_id)
        last_buyer = thread.messages.filter(side=Side.BUYER).order_by("-id").first()
        if last_buyer is not None:
            mark_thread_read(thread_id=thread_id, side=Side.SELLER, up_to_message_id=last_buyer.id)
        written += 1
    to_ship = (
        SellerOrder.objects.filter(
            order__buyer__email=IVAN,
            seller__slug=MOSCOW,
            status=SellerOrder.Status.AWAITING_SHIPMENT,
        )
        .select_related("order__buyer", "seller")
        .order_by("-created_at")
        .first()
    )
    if to_ship is not None:
        _play(to_ship, IVAN_AND_GADGET_HOUSE, today=today)
        written += 1
    return written
