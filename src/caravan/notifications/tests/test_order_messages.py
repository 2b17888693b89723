"""For each kind of message: given the domain action, then exactly one outbox row for its
recipient, in their language, with its subject, and the order's number in its text."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from tests.factories import (
    check_out_cart,
    deliver_event,
    fill_cart,
    move_clock,
    pay_market_order,
    place_market_order,
)

from caravan.kernel.events import publish
from caravan.notifications import kinds
from caravan.notifications.codes import delivery_code
from caravan.notifications.models import Message, Preference
from caravan.orders.models import SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payments.events import PaymentDeclined
from caravan.payments.models import Payment
from caravan.payments.sandbox import resolve_session
from caravan.payments.services import expire_unpaid_orders, pay_order


def owner_of(seller):
    return seller.memberships.get().user


def only(kind, **filters):
    rows = list(Message.objects.filter(kind=kind, **filters))
    assert len(rows) == 1, rows
    return rows[0]


def seller_order(order, seller):
    return SellerOrder.objects.get(order=order, seller=seller)


def test_placing_an_order_tells_the_buyer(market, committed):
    with committed():
        order = place_market_order(market)

    message = only(kinds.ORDER_PLACED)
    assert (message.user, message.address, message.channel) == (
        market.buyer,
        "buyer@example.com",
        Message.Channel.EMAIL,
    )
    assert message.language == "en"
    assert message.subject == f"Order {order.number} is placed"
    assert order.number in message.body_text
    assert "- Wireless Headphones (Black) x 2: 5,000 ₽\n" in message.body_text
    assert f"/orders/{order.number}/" in message.body_html
    assert message.status == Message.Status.SENT
    assert [sent.subject for sent in mail.outbox] == [message.subject]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_paid_order_tells_the_buyer_and_each_seller_with_its_ship_by_date(market, committed):
    with committed():
        order = pay_market_order(market)

    paid = only(kinds.ORDER_PAID)
    assert paid.user == market.buyer
    assert paid.subject == f"Payment for order {order.number} received"
    assert order.number in paid.body_text
    for seller in (market.seller_ru, market.seller_cn):
        item = seller_order(order, seller)
        message = only(kinds.SELLER_NEW_ORDER, user=owner_of(seller))
        ship_by = timezone.localtime(item.ship_by).strftime("%-d %B %Y")
        assert message.subject == f"New paid order {item.number}: ship by {ship_by}"
        assert item.number in message.body_text
        assert market.buyer.email not in message.body_text
    assert Message.objects.filter(kind=kinds.SELLER_NEW_ORDER).count() == 2


def test_a_shipped_parcel_tells_the_buyer_its_tracking_by_mail_and_text(market, committed):
    order = pay_market_order(market)
    item = seller_order(order, market.seller_ru)

    with committed():
        ship_seller_order(
            seller=market.seller_ru,
            seller_order_public_id=item.public_id,
            carrier="Russian Post",
            tracking_number="RR123456789RU",
            actor=owner_of(market.seller_ru),
        )

    email = only(kinds.PARCEL_SHIPPED, channel=Message.Channel.EMAIL)
    text = only(kinds.PARCEL_SHIPPED, channel=Message.Channel.SMS)
    assert email.subject == f"Your parcel {item.number} is on its way"
    assert "RR123456789RU" in email.body_text
    assert item.number in email.body_text
    assert (text.user, text.address, text.status) == (
        market.buyer,
        "+79001234567",
        Message.Status.SENT,
    )
    assert text.body_text == (
        f"Caravan: parcel {item.number} shipped, Russian Post RR123456789RU. Delivery code "
        f"{delivery_code(item)}: give it only on receipt."
    )
    assert [sent.to for sent in mail.outbox] == [["buyer@example.com"]]


def test_a_delivered_parcel_tells_the_buyer(market, committed):
    order = pay_market_order(market)
    item = seller_order(order, market.seller_ru)
    ship_seller_order(
        seller=market.seller_ru,
        seller_order_public_id=item.public_id,
        carrier="Russian Post",
        tracking_number="RR1",
        actor=owner_of(market.seller_ru),
    )

    with committed():
        confirm_delivery(buyer=market.buyer, seller_order_public_id=item.public_id)

    message = only(kinds.PARCEL_DELIVERED)
    assert message.user == market.buyer
    assert message.subject == f"Parcel {item.number} is delivered"
    assert item.number in message.body_text


def test_a_declined_payment_tells_the_buyer_with_the_way_back_to_the_order(market, committed):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)

    with committed():
        resolve_session(reference=result.payment.provider_reference, approved=False)

    message = only(kinds.PAYMENT_DECLINED)
    order = result.order
    assert message.user == market.buyer
    assert message.subject == f"Payment for order {order.number} was declined"
    assert order.number in message.body_text
    assert f"http://127.0.0.1:8000/orders/{order.number}/" in message.body_text
    assert Payment.objects.get(id=result.payment.id).status == Payment.Status.FAILED


def test_an_unpaid_order_past_its_deadline_tells_the_buyer_it_is_cancelled(
    market, committed, monkeypatch
):
    order = place_market_order(market)
    move_clock(monkeypatch, by=timedelta(hours=2))

    with committed():
        assert expire_unpaid_orders() == 1

    message = only(kinds.ORDER_CANCELLED)
    assert message.user == market.buyer
    assert message.subject == f"Order {order.number} is cancelled"
    assert order.number in message.body_text
    assert "payment deadline passed" in message.body_text


def test_a_buyer_who_reads_russian_gets_russian_messages(market, committed):
    Preference.objects.create(user=owner_of(market.seller_ru), language="ru")

    with committed():
        order = pay_market_order(market)

    item = seller_order(order, market.seller_ru)
    russian = only(kinds.SELLER_NEW_ORDER, user=owner_of(market.seller_ru))
    english = only(kinds.SELLER_NEW_ORDER, user=owner_of(market.seller_cn))
    assert (russian.language, english.language) == ("ru", "en")
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]  # fmt: skip
    local = timezone.localtime(item.ship_by)
    assert russian.subject == (
        f"Новый оплаченный заказ {item.number}: отправьте до "
        f"{local.day} {months[local.month - 1]} {local.year}"
    )
    assert '<html lang="ru">' in russian.body_html


def test_an_event_reported_twice_is_written_once(market, committed):
    from caravan.kernel.events import publish
    from caravan.orders.events import OrderPlaced

    order = place_market_order(market)

    with committed():
        publish(OrderPlaced(order_id=order.id))
        publish(OrderPlaced(order_id=order.id))

    only(kinds.ORDER_PLACED)
    assert len(mail.outbox) == 1


def test_a_repeated_provider_notification_tells_nothing_again(market, committed):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    reference = result.payment.provider_reference

    with committed():
        deliver_event(session_reference=reference, approved=True, event_id="evt-1")
        deliver_event(session_reference=reference, approved=True, event_id="evt-2")

    only(kinds.ORDER_PAID)
    assert Message.objects.filter(kind=kinds.SELLER_NEW_ORDER).count() == 1


def test_the_declined_message_gives_the_reason_and_the_way_back(market, committed):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)

    with committed():
        resolve_session(reference=result.payment.provider_reference, approved=False)

    message = only(kinds.PAYMENT_DECLINED)
    text = " ".join(message.body_text.split())
    assert "Your bank declined the card." in text
    assert "Nothing was charged. The items are reserved for you until" in text
    assert "pay again from the order's page, or cancel the order there" in text
    assert "The order was cancelled" not in text


def test_a_decline_read_after_the_retry_paid_says_so(market, committed):
    # given the message's task runs only after a second attempt paid the order
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    resolve_session(reference=result.payment.provider_reference, approved=False)
    second = pay_order(order=result.order, return_url="/again/").payment
    resolve_session(reference=second.provider_reference, approved=True)

    with committed():
        publish(PaymentDeclined(result.payment.id))

    text = " ".join(only(kinds.PAYMENT_DECLINED).body_text.split())
    assert "Another payment attempt has paid the order since; this one charged nothing." in text
    assert "pay again" not in text
