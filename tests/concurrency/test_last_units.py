"""Fifty buyers race for the last five units on the real PostgreSQL server.

Each buyer runs in its own thread, so on its own database connection (Django keeps one
per thread), and all of them are released together by a barrier.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.models import F

from caravan.accounts.models import Address, User
from caravan.cart.models import Cart, CartLine
from caravan.cart.services import place_order
from caravan.kernel.errors import OutOfStock
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.orders.models import Order, OrderLine, SellerOrder
from tests.factories import fill_cart, make_buyer, make_offer, make_seller

BUYERS = 50
UNITS_LEFT = 5
JOIN_TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.postgres


def _buyer(cart_id: int, barrier: threading.Barrier, outcomes: dict[int, str]) -> None:
    try:
        cart = Cart.objects.get(id=cart_id)
        buyer = User.objects.get(id=cart.user_id)
        address = Address.objects.get(user=buyer)
        barrier.wait(timeout=JOIN_TIMEOUT_SECONDS)
        try:
            order = place_order(cart=cart, buyer=buyer, address=address)
        except OutOfStock as error:
            outcomes[cart_id] = error.code
        else:
            outcomes[cart_id] = f"ordered {order.number}"
    except Exception as error:  # recorded and asserted on: the test must see any surprise
        outcomes[cart_id] = f"unexpected {error!r}"
    finally:
        connections.close_all()


def _watch_stock(offer_id: int, done: threading.Event, seen: list[int]) -> None:
    try:
        while not done.is_set():
            seen.append(Offer.objects.values_list("stock_quantity", flat=True).get(id=offer_id))
            time.sleep(0.005)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_five_units():
    seller = make_seller(name="Last Units Shop")
    offer = make_offer(seller=seller, price="990", stock=UNITS_LEFT)
    carts = []
    for _ in range(BUYERS):
        buyer, _address = make_buyer()
        carts.append(fill_cart(user=buyer, lines=[(offer, 1)]))
    barrier = threading.Barrier(BUYERS)
    outcomes: dict[int, str] = {}
    stock_seen: list[int] = []
    done = threading.Event()
    watcher = threading.Thread(target=_watch_stock, args=(offer.id, done, stock_seen))
    threads = [
        threading.Thread(target=_buyer, args=(cart.id, barrier, outcomes), name=f"buyer-{index}")
        for index, cart in enumerate(carts)
    ]
    watcher.start()
    started = time.monotonic()

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, JOIN_TIMEOUT_SECONDS - (time.monotonic() - started)))
    done.set()
    watcher.join(timeout=10)

    assert [thread.name for thread in threads if thread.is_alive()] == []
    assert not watcher.is_alive()
    assert len(outcomes) == BUYERS
    unexpected = [outcome for outcome in outcomes.values() if outcome.startswith("unexpected")]
    assert unexpected == []
    ordered = [cart_id for cart_id, outcome in outcomes.items() if outcome.startswith("ordered")]
    refused = [cart_id for cart_id, outcome in outcomes.items() if outcome == "out_of_stock"]
    assert (len(ordered), len(refused)) == (UNITS_LEFT, BUYERS - UNITS_LEFT)
    assert Offer.objects.get(id=offer.id).stock_quantity == 0
    assert stock_seen and min(stock_seen) >= 0
    assert Order.objects.count() == SellerOrder.objects.count() == UNITS_LEFT
    assert (
        list(OrderLine.objects.values_list("offer_id", "quantity")) == [(offer.id, 1)] * UNITS_LEFT
    )
    assert set(Order.objects.values_list("buyer_id", flat=True)) == set(
        Cart.objects.filter(id__in=ordered).values_list("user_id", flat=True)
    )
    # The winners' carts are empty; every refused buyer still holds the line.
    assert CartLine.objects.filter(cart_id__in=ordered).count() == 0
    assert sorted(
        CartLine.objects.filter(cart_id__in=refused).values_list("cart_id", flat=True)
    ) == sorted(refused)
    summary = ProductOfferSummary.objects.get(product_id=offer.product_id)
    assert (summary.is_buyable, summary.best_offer_id) == (False, None)


@pytest.mark.django_db
def test_postgresql_refuses_negative_stock():
    offer = make_offer(seller=make_seller(name="Constraint Shop"), stock=UNITS_LEFT)

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Offer.objects.filter(id=offer.id).update(stock_quantity=F("stock_quantity") - 6)

    assert "offer_stock_not_negative" in str(caught.value)
    assert Offer.objects.get(id=offer.id).stock_quantity == UNITS_LEFT
