"""The buyer's message threads on the order page: writing to each seller, what is shown
escaped, the new-message badges, and refusals (someone else's order, a refused message)."""

import pytest
from tests.factories import make_buyer, place_market_order

from caravan.conversations.models import MAX_BODY_LENGTH, Thread, ThreadMessage
from caravan.conversations.services import post_message
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Membership

pytestmark = pytest.mark.django_db


def owner_of(seller):
    return seller.memberships.get(role=Membership.Role.OWNER).user


@pytest.fixture
def order(market):
    return place_market_order(market)


def thread_url(order, seller_order):
    return f"/orders/{order.number}/messages/{seller_order.public_id}/"


def test_the_buyer_writes_to_one_seller_from_the_order_page(market, order, signed_in):
    client = signed_in(market.buyer)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)

    response = client.post(thread_url(order, ru), {"body": "Gift wrap, <please>?\nThanks"})

    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/#thread-{ru.public_id}"
    message = ThreadMessage.objects.get()
    assert (message.thread.seller_order, message.side, message.author) == (
        ru,
        "buyer",
        market.buyer,
    )
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert page.count('data-testid="order-thread"') == 2
    assert page.count('data-testid="thread-message"') == 1
    assert "Gift wrap, &lt;please&gt;?<br>Thanks" in page
    assert "<please>" not in page
    assert "Message sent. The seller is told by email." in page


def test_a_sellers_reply_is_new_once_then_read(market, order, signed_in):
    client = signed_in(market.buyer)
    cn = SellerOrder.objects.get(order=order, seller=market.seller_cn)
    post_message(
        author=owner_of(market.seller_cn),
        seller_order_public_id=cn.public_id,
        side="seller",
        body="We ship on Monday.",
    )

    orders_page = client.get("/orders/").content.decode()
    first = client.get(f"/orders/{order.number}/").content.decode()
    second = client.get(f"/orders/{order.number}/").content.decode()
    orders_after = client.get("/orders/").content.decode()

    assert 'data-testid="unread-total"' in orders_page
    assert "Sellers sent you 1 new message" in orders_page
    assert '<span class="badge badge-info" data-testid="order-unread">1 new message</span>' in (
        orders_page
    )
    assert 'data-testid="thread-unread">1 new</span>' in first
    assert "We ship on Monday." in first
    assert "Shenzhen Tech" in first
    assert 'data-testid="thread-unread"' not in second
    assert "We ship on Monday." in second
    assert 'data-testid="unread-total"' not in orders_after
    assert 'data-testid="order-unread"' not in orders_after
    assert Thread.objects.get(seller_order=cn).unread_by_buyer == 0


def test_another_buyer_cannot_post_to_the_order_nor_read_it(market, order, signed_in):
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    other, _address = make_buyer()
    client = signed_in(other)

    posted = client.post(thread_url(order, ru), {"body": "Hello?"})
    page = client.get(f"/orders/{order.number}/")

    assert posted.status_code == 404
    assert page.status_code == 404
    assert not ThreadMessage.objects.exists()


def test_a_seller_order_of_another_order_is_not_found(market, order, signed_in):
    client = signed_in(market.buyer)
    second = place_market_order(market, quantity_ru=1, quantity_cn=1)
    ru_of_second = SellerOrder.objects.get(order=second, seller=market.seller_ru)

    response = client.post(thread_url(order, ru_of_second), {"body": "Wrong order"})

    assert response.status_code == 404
    assert not ThreadMessage.objects.exists()


def test_a_refused_message_comes_back_in_its_form(market, order, signed_in):
    client = signed_in(market.buyer)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    too_long = "z" * (MAX_BODY_LENGTH + 5)

    response = client.post(thread_url(order, ru), {"body": too_long}, follow=True)

    page = response.content.decode()
    assert f"A message can be at most {MAX_BODY_LENGTH} characters long" in page
    assert f">{too_long}</textarea>" in page
    assert not ThreadMessage.objects.exists()
    assert f">{too_long}</textarea>" not in client.get(f"/orders/{order.number}/").content.decode()


def test_signing_in_is_needed_to_post(market, order, client):
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)

    response = client.post(thread_url(order, ru), {"body": "Hi"})

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not ThreadMessage.objects.exists()
