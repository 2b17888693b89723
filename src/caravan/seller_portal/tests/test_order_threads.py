"""The seller's side of an order's thread: read on the order page, answered from it,
counted on the orders list, and never reachable for another seller's order."""

import pytest
from django.urls import reverse
from tests.factories import add_member

from caravan.conversations.models import Thread, ThreadMessage
from caravan.conversations.services import post_message
from caravan.sellers.models import Membership

from .portal_helpers import market_seller_order, owner_of

pytestmark = pytest.mark.django_db


def buyer_asks(seller_order, body="Is it boxed?"):
    return post_message(
        author=seller_order.order.buyer,
        seller_order_public_id=seller_order.public_id,
        side="buyer",
        body=body,
    )


def test_the_buyers_message_is_counted_on_the_list_then_read_on_the_order(client, market):
    seller_order = market_seller_order(market)
    buyer_asks(seller_order, "Is it <i>boxed</i>?\nThanks")
    client.force_login(owner_of(market.seller_ru))

    listing = client.get(reverse("seller_portal:orders")).content.decode()
    unread_tab = client.get(reverse("seller_portal:orders") + "?status=unread")
    page = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))
    listing_after = client.get(reverse("seller_portal:orders")).content.decode()

    assert 'data-testid="order-unread">1 new message</a>' in listing
    assert (
        'data-testid="tab-unread">Unread messages <span class="tab-count tab-count-unread">1</span>'
        in listing
    )
    assert [row.public_id for row in unread_tab.context["page"].object_list] == [
        seller_order.public_id
    ]
    content = page.content.decode()
    assert 'data-testid="thread-unread">1 new</span>' in content
    assert "Is it &lt;i&gt;boxed&lt;/i&gt;?<br>Thanks" in content
    assert seller_order.order.ship_to_name in content
    assert seller_order.order.buyer.email not in content
    assert 'data-testid="order-unread"' not in listing_after
    assert Thread.objects.get(seller_order=seller_order).unread_by_seller == 0


def test_fulfilment_staff_answers_from_the_order_page(client, market):
    seller_order = market_seller_order(market)
    buyer_asks(seller_order)
    packer = add_member(seller=market.seller_ru, role=Membership.Role.FULFILMENT)
    client.force_login(packer)
    url = reverse("seller_portal:order_thread_post", args=[seller_order.public_id])

    response = client.post(url, {"body": "Yes, in its box."})

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("seller_portal:order", args=[seller_order.public_id]) + "#thread"
    )
    reply = ThreadMessage.objects.order_by("id").last()
    assert (reply.side, reply.author, reply.body) == ("seller", packer, "Yes, in its box.")
    assert Thread.objects.get(seller_order=seller_order).unread_by_buyer == 1


def test_another_sellers_staff_gets_404_and_writes_nothing(client, market):
    seller_order = market_seller_order(market)
    buyer_asks(seller_order)
    client.force_login(owner_of(market.seller_cn))

    posted = client.post(
        reverse("seller_portal:order_thread_post", args=[seller_order.public_id]),
        {"body": "Cheaper at our shop"},
    )
    page = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))
    listing = client.get(reverse("seller_portal:orders") + "?status=unread")

    assert posted.status_code == 404
    assert page.status_code == 404
    assert list(listing.context["page"].object_list) == []
    assert ThreadMessage.objects.count() == 1
    assert Thread.objects.get(seller_order=seller_order).unread_by_seller == 1


def test_catalog_staff_cannot_answer(client, market):
    seller_order = market_seller_order(market)
    client.force_login(add_member(seller=market.seller_ru, role=Membership.Role.CATALOG))

    response = client.post(
        reverse("seller_portal:order_thread_post", args=[seller_order.public_id]),
        {"body": "Hello"},
    )

    assert response.status_code == 403
    assert not ThreadMessage.objects.exists()


def test_an_empty_reply_is_refused_and_the_page_says_why(client, market):
    seller_order = market_seller_order(market)
    client.force_login(owner_of(market.seller_ru))

    response = client.post(
        reverse("seller_portal:order_thread_post", args=[seller_order.public_id]),
        {"body": "   "},
        follow=True,
    )

    assert "Write a message first." in response.content.decode()
    assert not ThreadMessage.objects.exists()


def test_the_orders_link_counts_unread_messages_on_every_portal_page(client, market):
    seller_order = market_seller_order(market)
    buyer_asks(seller_order, "First?")
    buyer_asks(seller_order, "Second?")
    client.force_login(owner_of(market.seller_ru))

    dashboard = client.get(reverse("seller_portal:dashboard")).content.decode()
    client.get(reverse("seller_portal:order", args=[seller_order.public_id]))
    after = client.get(reverse("seller_portal:dashboard")).content.decode()

    assert 'title="2 unread messages from buyers"' in dashboard
    assert '<span aria-hidden="true">2</span>' in dashboard
    assert 'data-testid="nav-orders-unread"' not in after
