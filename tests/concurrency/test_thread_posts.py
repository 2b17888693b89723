"""Buyer and seller posting at once to a thread that does not exist yet, on the real
PostgreSQL server: one thread, every message kept, and unread counters that agree with the
order the messages were written in (the thread row's lock serialises them)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from caravan.conversations.models import Side, Thread
from caravan.conversations.services import post_message
from caravan.sellers.models import Membership
from tests.factories import build_market, place_market_order

POSTS_PER_SIDE = 4
JOIN_TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_from_both_sides_make_one_thread_with_exact_counters():
    market = build_market()
    order = place_market_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    owner = Membership.objects.get(seller=market.seller_ru, role=Membership.Role.OWNER).user
    writers = [(market.buyer, Side.BUYER)] * POSTS_PER_SIDE + [(owner, Side.SELLER)] * (
        POSTS_PER_SIDE
    )
    barrier = threading.Barrier(len(writers))
    outcomes: list[str] = []

    def write(author, side) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT_SECONDS)
            post_message(
                author=author,
                seller_order_public_id=seller_order.public_id,
                side=side,
                body=f"from the {side}",
            )
            outcomes.append("ok")
        except Exception as error:  # recorded and asserted on: the test must see any surprise
            outcomes.append(f"unexpected {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=writer) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT_SECONDS)

    assert outcomes == ["ok"] * len(writers)
    (thread,) = Thread.objects.filter(seller_order=seller_order)
    sides = list(thread.messages.order_by("id").values_list("side", flat=True))
    assert sorted(sides) == sorted(side for _author, side in writers)
    assert thread.message_count == len(writers)
    last_seller = max(i for i, side in enumerate(sides) if side == Side.SELLER)
    last_buyer = max(i for i, side in enumerate(sides) if side == Side.BUYER)
    # Each post zeroes its author's side and adds one to the other's.
    assert thread.unread_by_seller == sum(1 for side in sides[last_seller + 1 :])
    assert thread.unread_by_buyer == sum(1 for side in sides[last_buyer + 1 :])
    messages = list(thread.messages.order_by("id"))
    assert thread.buyer_last_read_id == messages[last_buyer].id
    assert thread.seller_last_read_id == messages[last_seller].id
