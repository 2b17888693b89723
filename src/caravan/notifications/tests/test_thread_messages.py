"""A message in an order's thread tells the other side once, in its language, through the
outbox, without either side's email address; it can be turned off like other optional kinds."""

from django.core import mail
from tests.factories import add_member, place_market_order

from caravan.conversations.services import post_message
from caravan.notifications import kinds
from caravan.notifications.models import Message, Preference
from caravan.notifications.subscribers import handle
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Membership


def owner_of(seller):
    return seller.memberships.get(role=Membership.Role.OWNER).user


def test_a_buyers_message_tells_the_sellers_order_staff_not_the_buyer(market, committed):
    order = place_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    fulfilment = add_member(seller=market.seller_ru, role=Membership.Role.FULFILMENT)
    add_member(seller=market.seller_ru, role=Membership.Role.CATALOG)

    with committed():
        message = post_message(
            author=market.buyer,
            seller_order_public_id=ru.public_id,
            side="buyer",
            body="Is it <b>black</b>?\nThe photo looks blue.",
        )

    rows = list(Message.objects.filter(kind=kinds.BUYER_MESSAGE).order_by("user_id"))
    assert [row.user for row in rows] == [owner_of(market.seller_ru), fulfilment]
    assert {row.event_key for row in rows} == {f"buyer_message:{message.public_id}"}
    first = rows[0]
    assert first.subject == f"A message from the buyer of order {ru.number}"
    assert f"Ivan Petrov, who placed order {ru.number}, wrote:" in first.body_text
    assert "Is it <b>black</b>?\nThe photo looks blue." in first.body_text
    assert "Is it &lt;b&gt;black&lt;/b&gt;?<br>The photo looks blue." in first.body_html
    assert f"/seller/orders/{ru.public_id}/#thread" in first.body_text
    for row in rows:
        assert market.buyer.email not in row.body_text
        assert market.buyer.email not in row.body_html
    assert not Message.objects.filter(user=market.buyer, kind=kinds.BUYER_MESSAGE).exists()
    assert sorted(sent.to[0] for sent in mail.outbox) == sorted(row.address for row in rows)


def test_a_sellers_reply_tells_the_buyer_in_their_language_by_the_shops_name(market, committed):
    order = place_market_order(market)
    cn = SellerOrder.objects.get(order=order, seller=market.seller_cn)
    manager = add_member(seller=market.seller_cn, role=Membership.Role.MANAGER)
    Preference.objects.create(user=market.buyer, language="ru")

    with committed():
        message = post_message(
            author=manager, seller_order_public_id=cn.public_id, side="seller", body="Да, чёрные."
        )

    row = Message.objects.get(kind=kinds.SELLER_MESSAGE)
    assert (row.user, row.language, row.event_key) == (
        market.buyer,
        "ru",
        f"seller_message:{message.public_id}",
    )
    assert "Shenzhen Tech" in row.subject
    assert "Да, чёрные." in row.body_text
    assert f"/orders/{order.number}/#thread-{cn.public_id}" in row.body_text
    assert manager.email not in row.body_text
    assert manager.email not in row.body_html
    assert not Message.objects.filter(kind=kinds.BUYER_MESSAGE).exists()


def test_the_same_event_handled_twice_writes_one_message(market, committed):
    order = place_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    with committed():
        message = post_message(
            author=owner_of(market.seller_ru),
            seller_order_public_id=ru.public_id,
            side="seller",
            body="Shipped tomorrow.",
        )

    handle(event_name="OrderMessagePosted", fields={"message_id": message.id})

    assert Message.objects.filter(kind=kinds.SELLER_MESSAGE).count() == 1
    assert len(mail.outbox) == 1


def test_a_buyer_who_turned_seller_messages_off_gets_no_mail(market, committed):
    order = place_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    Preference.objects.create(user=market.buyer, muted_kinds=[kinds.SELLER_MESSAGE])

    with committed():
        post_message(
            author=owner_of(market.seller_ru),
            seller_order_public_id=ru.public_id,
            side="seller",
            body="Hello",
        )

    assert not Message.objects.filter(kind=kinds.SELLER_MESSAGE).exists()
    assert mail.outbox == []
