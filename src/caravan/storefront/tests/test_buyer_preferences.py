"""The buyer's language, country and currency persist together: in the session and cookie
for a visitor, on the account for a signed-in buyer, restored at sign-in."""

import pytest
from django.test import Client
from tests.factories import PASSWORD, make_user

from caravan.accounts.models import User

pytestmark = pytest.mark.django_db


def sign_in(browser: Client, user: User):
    return browser.post("/account/login/", {"username": user.email, "password": PASSWORD})


def test_a_first_country_proposes_its_currency(client):
    client.post("/country/", {"country": "KZ", "next": "/"})

    assert (client.session["buyer_country"], client.session["buyer_currency"]) == ("KZ", "KZT")


def test_a_country_never_overrides_a_currency_the_buyer_chose(client):
    client.post("/currency/", {"currency": "USD", "next": "/"})

    client.post("/country/", {"country": "DE", "next": "/"})

    assert (client.session["buyer_country"], client.session["buyer_currency"]) == ("DE", "USD")


def test_a_second_country_keeps_the_currency_the_first_proposed(client):
    client.post("/country/", {"country": "CN", "next": "/"})

    client.post("/country/", {"country": "BY", "next": "/"})

    assert (client.session["buyer_country"], client.session["buyer_currency"]) == ("BY", "CNY")


def test_an_unknown_country_changes_nothing(client):
    response = client.post("/country/", {"country": "XX", "next": "/"})

    assert response.status_code == 302
    assert "buyer_country" not in client.session


def test_a_signed_in_buyers_choices_are_saved_on_the_account(client):
    user = make_user(email="anna@example.com")
    sign_in(client, user)

    client.post("/language/", {"language": "de", "next": "/"})
    client.post("/country/", {"country": "DE", "next": "/"})

    user.refresh_from_db()
    assert (user.preferred_language, user.preferred_country, user.preferred_currency) == (
        "de",
        "DE",
        "EUR",
    )
    assert client.cookies["django_language"].value == "de"


def test_sign_in_on_another_device_restores_language_country_and_currency():
    user = make_user(email="anna@example.com")
    User.objects.filter(id=user.id).update(
        preferred_language="zh-hans", preferred_country="CN", preferred_currency="CNY"
    )
    browser = Client()

    response = sign_in(browser, user)

    assert response.cookies["django_language"].value == "zh-hans"
    home = browser.get("/")
    assert (home.context["buyer_country"], home.context["buyer_currency"]) == ("CN", "CNY")
    assert '<html lang="zh-hans"' in home.content.decode()


def test_choices_made_before_sign_in_win_and_go_to_the_account(client):
    user = make_user(email="anna@example.com")
    User.objects.filter(id=user.id).update(
        preferred_language="zh-hans", preferred_country="CN", preferred_currency="CNY"
    )
    client.post("/language/", {"language": "ru", "next": "/"})
    client.post("/country/", {"country": "RU", "next": "/"})
    client.post("/currency/", {"currency": "RUB", "next": "/"})

    response = sign_in(client, user)

    user.refresh_from_db()
    assert (user.preferred_language, user.preferred_country, user.preferred_currency) == (
        "ru",
        "RU",
        "RUB",
    )
    assert "django_language" not in response.cookies  # the visitor's own cookie stays
    assert client.cookies["django_language"].value == "ru"


def test_sign_out_keeps_the_country_and_currency_for_the_visitor(client):
    user = make_user(email="anna@example.com")
    sign_in(client, user)
    client.post("/country/", {"country": "DE", "next": "/"})

    client.post("/account/logout/")

    assert (client.session["buyer_country"], client.session["buyer_currency"]) == ("DE", "EUR")
