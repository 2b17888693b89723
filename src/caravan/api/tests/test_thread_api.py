"""The buyer's seller-order threads in the API: read and written by the order's buyer only, with
the service's refusals as stable codes."""

import json

import pytest
from tests.factories import make_user, place_market_order

from caravan.conversations.models import ThreadMessage
from caravan.conversations.services import post_message
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Membership

pytestmark = pytest.mark.django_db


def url(order, seller_order):
    return f"/api/v1/orders/{order.number}/seller-orders/{seller_order.number}/messages"


def post(client, path, body):
    return client.post(path, json.dumps({"body": body}), content_type="application/json")


def test_the_buyer_writes_and_reads_the_sellers_answer(client, market):
    order = place_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    client.force_login(market.buyer)

    written = post(client, url(order, ru), "  Is it in stock in white?  ")
    post_message(
        author=market.seller_ru.memberships.get(role=Membership.Role.OWNER).user,
        seller_order_public_id=ru.public_id,
        side="seller",
        body="Only black, sorry.",
    )
    read = client.get(url(order, ru)).json()

    assert written.status_code == 201
    assert [(m["side"], m["author"], m["body"]) for m in written.json()["messages"]] == [
        ("buyer", "you", "Is it in stock in white?")
    ]
    assert (read["seller_order"], read["seller"], read["unread"]) == (ru.number, "Moscow Goods", 1)
    assert [(m["author"], m["body"], m["read"]) for m in read["messages"]] == [
        ("you", "Is it in stock in white?", True),
        ("Moscow Goods", "Only black, sorry.", False),
    ]
    # A GET marks nothing read.
    assert client.get(url(order, ru)).json()["unread"] == 1


def test_another_user_gets_404_and_anonymous_401(client, market):
    order = place_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)

    anonymous = post(client, url(order, ru), "Hi")
    client.force_login(make_user())
    stranger_post = post(client, url(order, ru), "Hi")
    stranger_get = client.get(url(order, ru))

    assert anonymous.status_code == 401
    assert stranger_post.status_code == 404
    assert stranger_get.status_code == 404
    assert stranger_post.json()["code"] == "not_found"
    assert not ThreadMessage.objects.exists()


def test_an_empty_message_is_a_400_with_its_code(client, market):
    order = place_market_order(market)
    cn = SellerOrder.objects.get(order=order, seller=market.seller_cn)
    client.force_login(market.buyer)

    response = post(client, url(order, cn), " \n ")

    assert response.status_code == 400
    assert response.json()["code"] == "empty_message"
    assert not ThreadMessage.objects.exists()


def test_a_seller_order_of_another_order_is_404(client, market):
    order = place_market_order(market)
    other = place_market_order(market, quantity_ru=1, quantity_cn=1)
    other_ru = SellerOrder.objects.get(order=other, seller=market.seller_ru)
    client.force_login(market.buyer)

    response = post(client, url(order, other_ru), "Hi")

    assert response.status_code == 404
    assert not ThreadMessage.objects.exists()
