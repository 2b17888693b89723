"""The mailbox (each user sees only their own messages), the choice of messages, and the
unsubscribe link that works without signing in and stops only optional messages."""

import pytest
from django.core import mail
from django.test import Client
from tests.factories import make_user, pay_market_order

from caravan.notifications import kinds
from caravan.notifications.models import Message, Preference
from caravan.notifications.tokens import unsubscribe_token
from caravan.orders.models import SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def paid(market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return pay_market_order(market)


def ship_and_deliver(market, order, committed):
    item = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    with committed(execute=True):
        ship_seller_order(
            seller=market.seller_ru,
            seller_order_public_id=item.public_id,
            carrier="Russian Post",
            tracking_number="RR42",
            actor=market.seller_ru.memberships.get().user,
        )
        confirm_delivery(buyer=market.buyer, seller_order_public_id=item.public_id)
    return item


def test_the_mailbox_lists_the_users_own_messages_and_shows_one(market, paid):
    client = signed_in(market.buyer)

    page = client.get("/account/messages/")

    assert page.status_code == 200
    paid_message = Message.objects.get(kind=kinds.ORDER_PAID)
    placed = Message.objects.get(kind=kinds.ORDER_PLACED)
    assert [row.subject for row in page.context["mail"]] == [paid_message.subject, placed.subject]
    detail = client.get(f"/account/messages/{paid_message.public_id}/")
    assert detail.status_code == 200
    assert paid.number in detail.content.decode()
    frame = client.get(f"/account/messages/{paid_message.public_id}/html/")
    assert frame.content.decode() == paid_message.body_html
    assert frame["Content-Security-Policy"].startswith("sandbox")


def test_another_users_message_is_not_found(market, paid):
    seller_message = Message.objects.filter(kind=kinds.SELLER_NEW_ORDER).first()
    client = signed_in(market.buyer)

    assert client.get(f"/account/messages/{seller_message.public_id}/").status_code == 404
    assert client.get(f"/account/messages/{seller_message.public_id}/html/").status_code == 404


def test_the_mailbox_needs_a_signed_in_user(db):
    response = Client().get("/account/messages/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_the_unsubscribe_link_works_without_signing_in(market, paid):
    link = f"/unsubscribe/{unsubscribe_token(user_id=market.buyer.id)}/"
    anonymous = Client(enforce_csrf_checks=True)

    asked = anonymous.get(link)
    assert asked.status_code == 200
    assert not Preference.objects.filter(user=market.buyer).exists()
    done = anonymous.post(link)

    assert done.status_code == 200
    preference = Preference.objects.get(user=market.buyer)
    assert preference.muted_kinds == sorted(
        [
            kinds.BUYER_MESSAGE,
            kinds.PARCEL_DELIVERED,
            kinds.SELLER_MESSAGE,
            kinds.SELLER_PAYOUT_SENT,
            kinds.SELLER_SHIP_BY_REMINDER,
        ]
    )
    assert preference.sms_enabled is False


def test_after_unsubscribing_required_messages_still_come_and_optional_ones_do_not(
    market, paid, django_capture_on_commit_callbacks
):
    Client().post(f"/unsubscribe/{unsubscribe_token(user_id=market.buyer.id)}/")
    mail.outbox.clear()

    item = ship_and_deliver(market, paid, django_capture_on_commit_callbacks)

    assert list(Message.objects.filter(user=market.buyer).values_list("kind", "channel")) == [
        (kinds.PARCEL_SHIPPED, "email"),
        (kinds.ORDER_PAID, "email"),
        (kinds.ORDER_PLACED, "email"),
    ]
    assert [sent.subject for sent in mail.outbox] == [f"Your parcel {item.number} is on its way"]


def test_every_mail_carries_its_unsubscribe_link(market, paid):
    message = Message.objects.get(kind=kinds.ORDER_PAID)
    link = f"http://127.0.0.1:8000/unsubscribe/{unsubscribe_token(user_id=market.buyer.id)}/"

    assert message.unsubscribe_url == link
    assert link in message.body_text
    sent = next(item for item in mail.outbox if item.subject == message.subject)
    assert sent.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_altered_token_unsubscribes_nobody(market):
    token = unsubscribe_token(user_id=market.buyer.id)
    other = make_user()

    response = Client().post(f"/unsubscribe/{other.id}{token[token.index(':') :]}/")

    assert response.status_code == 404
    assert not Preference.objects.exists()


def test_the_preferences_page_saves_the_choice_and_the_language(market):
    client = signed_in(market.buyer)

    response = client.post(
        "/account/messages/settings/",
        {"language": "ru", "optional": [kinds.SELLER_PAYOUT_SENT]},
    )

    assert response.status_code == 302
    preference = Preference.objects.get(user=market.buyer)
    assert preference.language == "ru"
    assert preference.muted_kinds == sorted(
        [
            kinds.BUYER_MESSAGE,
            kinds.PARCEL_DELIVERED,
            kinds.SELLER_MESSAGE,
            kinds.SELLER_SHIP_BY_REMINDER,
        ]
    )
    assert preference.sms_enabled is False
    page = client.get("/account/messages/settings/")
    assert page.context["form"].initial == {
        "language": "ru",
        "optional": [kinds.SELLER_PAYOUT_SENT],
        "sms_enabled": False,
    }


def test_a_required_kind_cannot_be_turned_off(market):
    client = signed_in(market.buyer)

    response = client.post("/account/messages/settings/", {"optional": [kinds.ORDER_PAID]})

    assert response.status_code == 200
    assert "optional" in response.context["form"].errors
    assert not Preference.objects.exists()


def test_messages_follow_the_language_chosen_on_the_preferences_page(
    market, django_capture_on_commit_callbacks
):
    signed_in(market.buyer).post(
        "/account/messages/settings/", {"language": "ru", "sms_enabled": "on"}
    )

    with django_capture_on_commit_callbacks(execute=True):
        pay_market_order(market)

    assert set(Message.objects.filter(user=market.buyer).values_list("language", flat=True)) == {
        "ru"
    }
