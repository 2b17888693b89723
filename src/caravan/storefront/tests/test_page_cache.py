"""The anonymous page cache: served without queries, per-visitor CSRF, fresh after changes."""

import pytest

from caravan.kernel.money import Money
from caravan.offers.services import update_offer
from caravan.storefront.page_cache import CSRF_MARKER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()


def product_url(market):
    return f"/p/{market.product.public_id}/"


def test_a_second_anonymous_visit_is_served_without_queries(
    client, market, django_assert_num_queries
):
    first = client.get(product_url(market))

    with django_assert_num_queries(0):
        second = client.get(product_url(market))

    assert first.status_code == second.status_code == 200
    assert b"Wireless Headphones" in second.content


def test_every_visitor_gets_their_own_csrf_token_and_never_the_marker(client, market):
    from django.test import Client

    client.get(product_url(market))
    other = Client()

    response = other.get(product_url(market))

    body = response.content.decode()
    assert CSRF_MARKER not in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "csrftoken" in response.cookies


def test_a_cached_product_page_posts_add_to_cart_with_a_valid_token(market):
    from django.test import Client

    Client(enforce_csrf_checks=True).get(product_url(market))  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(product_url(market)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    response = visitor.post(
        "/cart/add/",
        {"offer": market.offer_ru.public_id, "quantity": 1, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert visitor.session["cart_count"] == 1


def test_a_new_price_shows_on_the_cached_product_page_at_once(
    client, market, django_capture_on_commit_callbacks
):
    assert "1,999" not in client.get(product_url(market)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru,
            offer_public_id=market.offer_ru.public_id,
            price=Money("1999", "RUB"),
        )
    response = client.get(product_url(market))

    assert "1,999" in response.content.decode()


def test_a_stock_change_that_keeps_the_card_leaves_listings_cached(
    client, market, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = f"/c/{market.product.category.slug}/"
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=4
        )

    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_a_signed_in_buyer_gets_the_cached_page_with_their_own_account_area(
    client, market, django_assert_max_num_queries
):
    client.get(product_url(market))  # an anonymous visit fills the cache
    client.force_login(market.buyer)
    session = client.session
    session["cart_count"] = 3
    session["is_seller"] = False  # learnt once per session, as after a real sign-in
    session.save()

    with django_assert_max_num_queries(2):  # the session and the user, nothing of the page
        response = client.get(product_url(market))

    body = response.content.decode()
    assert "Sign out" in body
    assert 'id="cart-count">3<' in body
    assert "Wireless Headphones" in body


def test_an_account_area_never_leaks_into_another_visitors_page(client, market):
    client.force_login(market.buyer)
    client.get(product_url(market))  # a signed-in visit fills the cache
    from django.test import Client

    response = Client().get(product_url(market))

    body = response.content.decode()
    assert "Sign out" not in body
    assert "Sign in" in body
    assert 'id="cart-count">0<' in body
