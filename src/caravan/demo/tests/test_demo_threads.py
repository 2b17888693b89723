"""The demo's order threads: Anna has an unread reply from the Shenzhen seller about a parcel
on its way, and Gadget House has Ivan's unread question about yesterday's order."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction

from caravan.accounts.models import User
from caravan.conversations.models import Thread
from caravan.conversations.selectors import count_buyer_unread, count_seller_unread
from caravan.demo.money_history import MOSCOW, SHENZHEN
from caravan.sellers.models import Seller

ANNA = "buyer@caravan.demo"
IVAN = "buyer.petersburg@caravan.demo"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", products=12, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_anna_has_one_unread_reply_on_a_parcel_on_its_way(seeded):
    anna = User.objects.get(email=ANNA)
    thread = Thread.objects.get(buyer=anna)

    assert thread.seller_order.seller.slug == SHENZHEN
    assert thread.seller_order.status == "shipped"
    assert [message.side for message in thread.messages.all()] == [
        "buyer",
        "seller",
        "buyer",
        "seller",
    ]
    assert (thread.unread_by_buyer, thread.unread_by_seller) == (1, 0)
    assert count_buyer_unread(buyer=anna) == 1
    times = [message.created_at for message in thread.messages.all()]
    assert times == sorted(times)
    assert times[0] > thread.seller_order.shipped_at


@pytest.mark.django_db
def test_gadget_house_has_ivans_unread_question(seeded):
    ivan = User.objects.get(email=IVAN)
    thread = Thread.objects.get(buyer=ivan)

    assert thread.seller_order.seller.slug == MOSCOW
    assert thread.seller_order.status == "awaiting_shipment"
    assert thread.messages.get().body.startswith("Hello! Could you pack it in a gift box?")
    assert thread.messages.get().created_at > thread.seller_order.order.placed_at
    assert count_seller_unread(seller=Seller.objects.get(slug=MOSCOW)) == 1
