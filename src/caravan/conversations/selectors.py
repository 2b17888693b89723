"""Thread reads, each scoped to the side asking: a buyer reads the threads of their own
orders, a seller those of its own seller orders, an operator any one (read-only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from caravan.accounts.models import User
from caravan.orders.models import Order, SellerOrder
from caravan.sellers.models import Seller

from .models import Side, Thread, ThreadMessage


@dataclass(frozen=True)
class ThreadView:
    """A thread as one side sees it. `last_read_id` is that side's marker before this view
    (messages after it are new to it); `other_read_id` the other side's (what it has seen)."""

    seller_order: SellerOrder
    side: str
    thread_id: int | None = None
    messages: tuple[ThreadMessage, ...] = ()
    unread: int = 0
    last_read_id: int = 0
    other_read_id: int = 0

    @property
    def last_message_id(self) -> int:
        return self.messages[-1].id if self.messages else 0


def _view(seller_order: SellerOrder, thread: Thread | None, side: str) -> ThreadView:
    if thread is None:
        return ThreadView(seller_order=seller_order, side=side)
    buyer_side = side == Side.BUYER
    return ThreadView(
        seller_order=seller_order,
        side=side,
        thread_id=thread.id,
        messages=tuple(thread.messages.all()),
        unread=thread.unread_by_buyer if buyer_side else thread.unread_by_seller,
        last_read_id=thread.buyer_last_read_id if buyer_side else thread.seller_last_read_id,
        other_read_id=thread.seller_last_read_id if buyer_side else thread.buyer_last_read_id,
    )


def _with_messages(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.prefetch_related(
        Prefetch("messages", queryset=ThreadMessage.objects.order_by("id"))
    )


def list_buyer_threads(*, buyer: User, order: Order) -> dict[str, ThreadView]:
    """Every seller order of the buyer's order with its thread (empty when none was started),
    keyed by the seller order's public id. Two queries whatever the number of sellers."""
    seller_orders = list(
        SellerOrder.objects.filter(order=order, order__buyer=buyer)
        .select_related("seller")
        .order_by("id")
    )
    threads = {
        thread.seller_order_id: thread
        for thread in _with_messages(
            Thread.objects.filter(buyer=buyer, seller_order__in=[item.id for item in seller_orders])
        )
    }
    return {item.public_id: _view(item, threads.get(item.id), Side.BUYER) for item in seller_orders}


def get_seller_thread(*, seller: Seller, seller_order: SellerOrder) -> ThreadView:
    """The thread of one of the seller's own seller orders; another seller's reads empty."""
    if seller_order.seller_id != seller.id:
        return ThreadView(seller_order=seller_order, side=Side.SELLER)
    thread = _with_messages(Thread.objects.filter(seller=seller, seller_order=seller_order)).first()
    return _view(seller_order, thread, Side.SELLER)


def get_operator_thread(*, seller_order: SellerOrder) -> ThreadView:
    """What both sides wrote, for an operator settling a dispute (read-only: marks nothing)."""
    thread = _with_messages(Thread.objects.filter(seller_order=seller_order)).first()
    return _view(seller_order, thread, Side.OPERATOR)


def count_buyer_unread(*, buyer: User) -> int:
    total = Thread.objects.filter(buyer=buyer, unread_by_buyer__gt=0).aggregate(
        total=Sum("unread_by_buyer")
    )["total"]
    return int(total or 0)


def buyer_unread_by_order(*, buyer: User, order_ids: Iterable[int]) -> dict[int, int]:
    """Unread messages per order of the buyer, for the orders list (one query a page)."""
    rows = (
        Thread.objects.filter(
            buyer=buyer, seller_order__order_id__in=list(order_ids), unread_by_buyer__gt=0
        )
        .values("seller_order__order_id")
        .annotate(total=Sum("unread_by_buyer"))
        .order_by()
    )
    return {row["seller_order__order_id"]: int(row["total"]) for row in rows}


def count_seller_unread(*, seller: Seller) -> int:
    total = Thread.objects.filter(seller=seller, unread_by_seller__gt=0).aggregate(
        total=Sum("unread_by_seller")
    )["total"]
    return int(total or 0)


def with_seller_unread(seller_orders: QuerySet[SellerOrder]) -> QuerySet[SellerOrder]:
    """The seller's order rows with `unread_messages`, in the same query."""
    unread = Thread.objects.filter(seller_order=OuterRef("pk")).values("unread_by_seller")[:1]
    return seller_orders.annotate(
        unread_messages=Coalesce(Subquery(unread), Value(0), output_field=IntegerField())
    )


def only_with_seller_unread(seller_orders: QuerySet[SellerOrder]) -> QuerySet[SellerOrder]:
    return seller_orders.filter(thread__unread_by_seller__gt=0)
