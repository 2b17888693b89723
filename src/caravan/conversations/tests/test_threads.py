"""Posting to a seller order's thread, who may, the limits, and the unread counters."""

from datetime import timedelta

import pytest
from tests.factories import add_member, make_user, place_market_order

from caravan.conversations import services
from caravan.conversations.events import OrderMessagePosted
from caravan.conversations.models import MAX_BODY_LENGTH, Side, Thread, ThreadMessage
from caravan.conversations.selectors import (
    buyer_unread_by_order,
    count_buyer_unread,
    count_seller_unread,
    get_operator_thread,
    get_seller_thread,
    list_buyer_threads,
)
from caravan.conversations.services import mark_thread_read, post_message
from caravan.kernel import events
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Membership, Seller

pytestmark = pytest.mark.django_db


def owner_of(seller):
    return seller.memberships.get(role=Membership.Role.OWNER).user


def seller_orders(market):
    order = place_market_order(market)
    return (
        order,
        SellerOrder.objects.get(order=order, seller=market.seller_ru),
        SellerOrder.objects.get(order=order, seller=market.seller_cn),
    )


def test_the_buyer_posts_and_the_seller_has_one_unread(market):
    _, ru, _ = seller_orders(market)

    message = post_message(
        author=market.buyer,
        seller_order_public_id=ru.public_id,
        side=Side.BUYER,
        body="  Can you pack it as a gift?\r\nThanks  ",
    )

    assert message.body == "Can you pack it as a gift?\nThanks"
    assert message.side == Side.BUYER
    thread = Thread.objects.get(seller_order=ru)
    assert (thread.seller_id, thread.buyer_id) == (market.seller_ru.id, market.buyer.id)
    assert (thread.message_count, thread.unread_by_seller, thread.unread_by_buyer) == (1, 1, 0)
    assert thread.buyer_last_read_id == message.id
    assert count_seller_unread(seller=market.seller_ru) == 1
    assert count_seller_unread(seller=market.seller_cn) == 0
    assert count_buyer_unread(buyer=market.buyer) == 0


def test_a_seller_reply_is_unread_for_the_buyer_until_read(market):
    order, ru, _ = seller_orders(market)
    post_message(
        author=market.buyer, seller_order_public_id=ru.public_id, side=Side.BUYER, body="Hi"
    )
    manager = add_member(seller=market.seller_ru, role=Membership.Role.MANAGER)

    reply = post_message(
        author=manager, seller_order_public_id=ru.public_id, side=Side.SELLER, body="Sure"
    )

    thread = Thread.objects.get(seller_order=ru)
    assert (thread.unread_by_buyer, thread.unread_by_seller) == (1, 0)
    assert thread.seller_last_read_id == reply.id
    assert count_buyer_unread(buyer=market.buyer) == 1
    assert buyer_unread_by_order(buyer=market.buyer, order_ids=[order.id]) == {order.id: 1}

    assert mark_thread_read(thread_id=thread.id, side=Side.BUYER, up_to_message_id=reply.id) == 0
    assert count_buyer_unread(buyer=market.buyer) == 0
    assert buyer_unread_by_order(buyer=market.buyer, order_ids=[order.id]) == {}


def test_reading_up_to_a_message_keeps_what_arrived_after_it_unread(market):
    _, ru, _ = seller_orders(market)
    owner = owner_of(market.seller_ru)
    first = post_message(author=owner, seller_order_public_id=ru.public_id, side="seller", body="1")
    post_message(author=owner, seller_order_public_id=ru.public_id, side="seller", body="2")
    thread = Thread.objects.get(seller_order=ru)

    # The buyer's page showed only the first message; the second came while it rendered.
    remaining = mark_thread_read(thread_id=thread.id, side=Side.BUYER, up_to_message_id=first.id)

    thread.refresh_from_db()
    assert remaining == 1
    assert (thread.unread_by_buyer, thread.buyer_last_read_id) == (1, first.id)


def test_a_stranger_cannot_post_to_someone_elses_order(market):
    _, ru, _ = seller_orders(market)
    stranger = make_user()

    with pytest.raises(NotFound):
        post_message(author=stranger, seller_order_public_id=ru.public_id, side="buyer", body="x")

    assert not Thread.objects.exists()
    assert not ThreadMessage.objects.exists()


def test_staff_of_another_seller_cannot_post_to_this_sellers_order(market):
    _, ru, _ = seller_orders(market)

    with pytest.raises(NotFound):
        post_message(
            author=owner_of(market.seller_cn),
            seller_order_public_id=ru.public_id,
            side=Side.SELLER,
            body="Buy from us instead",
        )

    assert not ThreadMessage.objects.exists()


def test_the_buyer_cannot_post_as_the_seller_nor_as_the_operator(market):
    _, ru, _ = seller_orders(market)

    for side in (Side.SELLER, Side.OPERATOR):
        with pytest.raises(NotFound):
            post_message(
                author=market.buyer, seller_order_public_id=ru.public_id, side=side, body="x"
            )

    assert not ThreadMessage.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [(" \n\t ", "empty_message"), ("x" * (MAX_BODY_LENGTH + 1), "message_too_long")],
)
def test_an_empty_or_too_long_message_is_refused(market, body, code):
    _, ru, _ = seller_orders(market)

    with pytest.raises(ValidationFailed) as refused:
        post_message(
            author=market.buyer, seller_order_public_id=ru.public_id, side="buyer", body=body
        )

    assert refused.value.code == code
    assert not Thread.objects.exists()


def test_a_message_of_exactly_the_limit_is_kept(market):
    _, ru, _ = seller_orders(market)

    message = post_message(
        author=market.buyer,
        seller_order_public_id=ru.public_id,
        side="buyer",
        body="y" * MAX_BODY_LENGTH,
    )

    assert len(message.body) == MAX_BODY_LENGTH


def test_a_burst_of_messages_is_stopped_and_allowed_again_later(market, monkeypatch):
    _, ru, _ = seller_orders(market)
    for number in range(services.BURST_LIMIT):
        post_message(
            author=market.buyer, seller_order_public_id=ru.public_id, side="buyer", body=f"{number}"
        )

    with pytest.raises(ValidationFailed) as refused:
        post_message(
            author=market.buyer, seller_order_public_id=ru.public_id, side="buyer", body="!"
        )

    assert refused.value.code == "too_many_messages"
    assert Thread.objects.get(seller_order=ru).message_count == services.BURST_LIMIT
    later = services.now() + services.BURST_WINDOW + timedelta(seconds=1)
    monkeypatch.setattr(services, "now", lambda: later)
    ThreadMessage.objects.update(created_at=later - services.BURST_WINDOW - timedelta(seconds=1))
    post_message(author=market.buyer, seller_order_public_id=ru.public_id, side="buyer", body="ok")
    assert Thread.objects.get(seller_order=ru).message_count == services.BURST_LIMIT + 1


def test_each_side_reads_only_its_own_threads(market):
    order, ru, cn = seller_orders(market)
    post_message(author=market.buyer, seller_order_public_id=ru.public_id, side="buyer", body="ru")
    post_message(author=market.buyer, seller_order_public_id=cn.public_id, side="buyer", body="cn")

    own = get_seller_thread(seller=market.seller_ru, seller_order=ru)
    other = get_seller_thread(seller=market.seller_cn, seller_order=ru)
    buyer_threads = list_buyer_threads(buyer=market.buyer, order=order)
    stranger_threads = list_buyer_threads(buyer=make_user(), order=order)

    assert [message.body for message in own.messages] == ["ru"]
    assert own.unread == 1
    assert other.messages == ()
    assert other.thread_id is None
    assert {key: [m.body for m in view.messages] for key, view in buyer_threads.items()} == {
        ru.public_id: ["ru"],
        cn.public_id: ["cn"],
    }
    assert stranger_threads == {}
    assert [m.body for m in get_operator_thread(seller_order=cn).messages] == ["cn"]


def test_the_event_is_published_after_commit_only(market, django_capture_on_commit_callbacks):
    _, ru, _ = seller_orders(market)
    published = []
    events.subscribe(OrderMessagePosted, published.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = post_message(
                author=market.buyer, seller_order_public_id=ru.public_id, side="buyer", body="?"
            )
            assert published == []
    finally:
        events._subscribers[OrderMessagePosted].remove(published.append)

    assert published == [OrderMessagePosted(message_id=message.id)]


def test_the_staff_of_a_closed_seller_can_no_longer_answer(market):
    _, ru, _ = seller_orders(market)
    Seller.objects.filter(id=market.seller_ru.id).update(status=Seller.Status.CLOSED)

    with pytest.raises(NotFound):
        post_message(
            author=owner_of(market.seller_ru),
            seller_order_public_id=ru.public_id,
            side=Side.SELLER,
            body="Still here",
        )

    assert not ThreadMessage.objects.exists()
