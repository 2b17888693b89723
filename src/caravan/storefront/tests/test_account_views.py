"""Sign in, register and sign out; the anonymous cart survives both."""

import re

import pytest
from django.core import mail
from django.test import Client
from tests.factories import PASSWORD, fill_cart, make_user

from caravan.accounts.models import User
from caravan.cart.models import Cart, CartLine
from caravan.sellers.models import Membership

pytestmark = pytest.mark.django_db


def put_in_cart(client, offer, quantity):
    response = client.post(
        "/cart/add/", {"offer": offer.public_id, "quantity": quantity, "next": "/cart/"}
    )
    assert response.status_code == 302


def cart_of(user):
    return sorted(
        (line.offer.seller.name, line.quantity) for line in CartLine.objects.filter(cart__user=user)
    )


def confirm_link(message) -> str:
    match = re.search(r"http://testserver(/account/register/confirm/[^/\s]+/)", message.body)
    assert match is not None
    return match.group(1)


def test_registering_sends_a_link_that_creates_the_account_signs_in_and_keeps_the_cart(
    client, market
):
    put_in_cart(client, market.offer_ru, 2)

    response = client.post(
        "/account/register/",
        {
            "email": "New.Buyer@Example.com",
            "full_name": "Olga",
            "password": "a-long-Passphrase-9",
            "next": "/checkout/",
        },
    )

    assert response["Location"] == "/account/register/sent/"
    assert not User.objects.filter(email="new.buyer@example.com").exists()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["new.buyer@example.com"], "Confirm your Caravan account")
    ]
    confirmed = client.get(confirm_link(mail.outbox[0]))
    user = User.objects.get(email="new.buyer@example.com")
    assert confirmed["Location"] == "/checkout/"
    assert (user.full_name, user.check_password("a-long-Passphrase-9")) == ("Olga", True)
    assert client.session["_auth_user_id"] == str(user.id)
    assert cart_of(user) == [("Moscow Goods", 2)]
    assert Cart.objects.filter(user__isnull=True).count() == 0
    assert "cart_token" not in client.session
    assert client.session["cart_count"] == 2


def test_registering_a_taken_email_answers_the_same_page_and_mails_the_owner(client, market):
    fresh = Client()
    taken = client.post(
        "/account/register/",
        {"email": "buyer@example.com", "full_name": "Someone", "password": "a-long-Passphrase-9"},
    )
    new = fresh.post(
        "/account/register/",
        {"email": "nobody@example.com", "full_name": "Someone", "password": "a-long-Passphrase-9"},
    )

    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    taken_page = client.get(taken["Location"]).content.decode()
    new_page = fresh.get(new["Location"]).content.decode()
    assert "We have sent a message to buyer@example.com." in taken_page
    assert _without_tokens(taken_page.replace("buyer@", "nobody@")) == _without_tokens(new_page)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["buyer@example.com"], "You already have a Caravan account"),
        (["nobody@example.com"], "Confirm your Caravan account"),
    ]
    assert "http://testserver/account/password-reset/" in mail.outbox[0].body
    assert User.objects.filter(email="buyer@example.com").count() == 1
    assert "_auth_user_id" not in client.session


def _without_tokens(page: str) -> str:
    """A page with its per-visitor CSRF tokens blanked out."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", page)


def test_a_confirmation_link_works_once(client, db):
    client.post(
        "/account/register/", {"email": "once@example.com", "password": "a-long-Passphrase-9"}
    )
    link = confirm_link(mail.outbox[0])
    client.get(link)
    other = Client()

    again = other.get(link)

    assert again.status_code == 400
    assert "This account is already created." in again.content.decode()
    assert User.objects.filter(email="once@example.com").count() == 1
    assert "_auth_user_id" not in other.session


def test_a_tampered_confirmation_link_creates_nothing(client, db):
    client.post(
        "/account/register/", {"email": "tamper@example.com", "password": "a-long-Passphrase-9"}
    )
    link = confirm_link(mail.outbox[0])

    response = client.get(link[:-3] + "x/")

    assert response.status_code == 400
    assert "This link is not valid or has expired." in response.content.decode()
    assert not User.objects.filter(email="tamper@example.com").exists()


def test_registering_with_a_weak_password_changes_nothing(client, db):
    response = client.post(
        "/account/register/", {"email": "weak@example.com", "password": "12345678"}
    )

    assert "This password is too common." in response.context["form"].errors["password"][0]
    assert not User.objects.filter(email="weak@example.com").exists()


def test_signing_in_merges_the_anonymous_cart_into_the_users_cart(client, market):
    fill_cart(user=market.buyer, lines=[(market.offer_cn, 1)])
    put_in_cart(client, market.offer_ru, 1)
    put_in_cart(client, market.offer_cn, 2)

    response = client.post(
        "/account/login/",
        {"username": "buyer@example.com", "password": PASSWORD, "next": "/cart/"},
    )

    assert response["Location"] == "/cart/"
    assert cart_of(market.buyer) == [("Moscow Goods", 1), ("Shenzhen Tech", 3)]
    assert Cart.objects.count() == 1
    assert client.session["cart_count"] == 4
    assert '<span class="cart-count" id="cart-count">4</span>' in client.get("/").content.decode()


def test_a_wrong_password_is_refused_on_the_form(client, market):
    response = client.post(
        "/account/login/", {"username": "buyer@example.com", "password": "wrong"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [
        "Please enter a correct email and password. Note that both fields may be case-sensitive."
    ]
    assert "_auth_user_id" not in client.session
    assert 'value="buyer@example.com"' in response.content.decode()


def test_the_email_is_not_case_sensitive_at_sign_in(client, market):
    response = client.post(
        "/account/login/", {"username": " Buyer@Example.COM ", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(market.buyer.id)


def test_next_to_another_site_is_ignored(client, market):
    response = client.post(
        "/account/login/",
        {"username": "buyer@example.com", "password": PASSWORD, "next": "//evil.example/x"},
    )

    assert response["Location"] == "/"


def test_the_seller_portal_link_shows_for_seller_staff_only(client, market, signed_in):
    buyer_page = signed_in(market.buyer).get("/").content.decode()
    owner = Membership.objects.get(seller=market.seller_ru).user
    seller_page = signed_in(owner).get("/").content.decode()

    assert 'href="/seller/"' in seller_page.split("<main")[0]
    assert 'href="/seller/"' not in buyer_page.split("<main")[0]


def test_sign_out_needs_post_and_forgets_the_session(client, market, signed_in):
    browser = signed_in(market.buyer)

    refused = browser.get("/account/logout/")
    response = browser.post("/account/logout/")

    assert refused.status_code == 405
    assert response["Location"] == "/"
    assert "_auth_user_id" not in browser.session


def test_a_user_signed_in_elsewhere_gets_the_count_and_flag_once(client, market):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])
    client.force_login(market.buyer)

    page = client.get("/").content.decode()

    assert '<span class="cart-count" id="cart-count">2</span>' in page
    assert client.session["cart_count"] == 2
    assert client.session["is_seller"] is False


def test_sign_in_page_for_a_signed_in_user_goes_to_next(client, db):
    user = make_user()
    client.force_login(user)

    assert client.get("/account/login/", {"next": "/orders/"})["Location"] == "/orders/"
