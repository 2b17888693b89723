"""Operator staff read an order's thread (for disputes) without writing or marking it read;
nobody else reads it there."""

import pytest
from django.urls import reverse
from tests.factories import place_market_order
from tests.finance_factories import make_operator

from caravan.conversations.models import Thread
from caravan.conversations.services import post_message
from caravan.sellers.models import Membership

pytestmark = pytest.mark.django_db


def test_an_operator_reads_both_sides_and_leaves_the_unread_counts(client, market):
    order = place_market_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    post_message(
        author=market.buyer,
        seller_order_public_id=seller_order.public_id,
        side="buyer",
        body="It arrived broken.\nPhoto attached?",
    )
    post_message(
        author=market.seller_ru.memberships.get(role=Membership.Role.OWNER).user,
        seller_order_public_id=seller_order.public_id,
        side="seller",
        body="Please open a dispute.",
    )
    client.force_login(make_operator())
    url = reverse("backoffice:order_thread", args=[seller_order.public_id])

    response = client.get(url)
    money_page = client.get(reverse("backoffice:finance_order", args=[seller_order.public_id]))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="thread-message"') == 2
    assert "It arrived broken.<br>Photo attached?" in content
    assert "Buyer (Ivan Petrov)" in content
    assert "<textarea" not in content
    assert f'href="{url}"' in money_page.content.decode()
    thread = Thread.objects.get(seller_order=seller_order)
    assert (thread.unread_by_buyer, thread.unread_by_seller) == (1, 0)
    assert client.post(url, {"body": "Operator note"}).status_code == 405
    assert thread.messages.count() == 2


def test_only_operator_staff_may_read_it(client, market):
    order = place_market_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    client.force_login(market.buyer)

    response = client.get(reverse("backoffice:order_thread", args=[seller_order.public_id]))

    assert response.status_code == 403


def test_an_unknown_seller_order_is_404(client, market):
    client.force_login(make_operator())

    response = client.get(reverse("backoffice:order_thread", args=["NOSUCHORDER"]))

    assert response.status_code == 404
