"""The anonymous page cache: served without queries, per-visitor CSRF, fresh after changes."""

import pytest
from tests.factories import make_offer, make_product

from caravan.kernel.money import Money
from caravan.offers.services import update_offer
from caravan.storefront.page_cache import (
    CSRF_MARKER,
    card_tag,
    fresh,
    mark_changed,
    product_tag,
    stamps,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_cache(settings):
    settings.CACHES = {
        **settings.CACHES,  # the throttles' counters stay (accounts.throttling)
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        },
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
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
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


@pytest.fixture
def other_product(market):
    """A second product, in a category of its own, sold by the Russian seller for 700 RUB."""
    product = make_product(name_en="Garden Hose", name_ru="Садовый шланг")
    make_offer(seller=market.seller_ru, variant=product.variants.get(), price="700")
    return product


def category_url(product):
    return f"/c/{product.category.slug}/"


def test_a_price_change_re_renders_the_products_page_and_the_listing_showing_it(
    client, market, other_product, django_capture_on_commit_callbacks
):
    client.get(product_url(market))
    client.get(category_url(market.product))

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru,
            offer_public_id=market.offer_ru.public_id,
            price=Money("99", "RUB"),
        )
    page = client.get(product_url(market)).content.decode()
    listing = client.get(category_url(market.product)).content.decode()

    assert 'data-testid="buy-box-price">99 ₽<' in page
    assert 'data-testid="card-price">99 ₽<' in listing


def test_a_price_change_leaves_other_products_pages_and_listings_cached(
    client,
    market,
    other_product,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    other_page = f"/p/{other_product.public_id}/"
    client.get(other_page)
    client.get(category_url(other_product))

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru,
            offer_public_id=market.offer_ru.public_id,
            price=Money("99", "RUB"),
        )

    with django_assert_num_queries(0):
        assert client.get(other_page).status_code == 200
        listing = client.get(category_url(other_product))
    assert "Garden Hose" in listing.content.decode()
    assert "Wireless Headphones" not in listing.content.decode()


def test_a_price_change_re_renders_a_search_showing_the_product_and_not_one_without_it(
    client,
    market,
    other_product,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    client.get("/search/?q=headphones")
    client.get("/search/?q=hose")

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru,
            offer_public_id=market.offer_ru.public_id,
            price=Money("99", "RUB"),
        )

    with django_assert_num_queries(0):
        hose = client.get("/search/?q=hose").content.decode()
    headphones = client.get("/search/?q=headphones").content.decode()
    assert 'data-testid="card-price">700 ₽<' in hose
    assert 'data-testid="card-price">99 ₽<' in headphones


def test_a_stock_change_re_renders_the_products_page_but_not_its_listing(
    client, market, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get(product_url(market))
    client.get(category_url(market.product))

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=2
        )

    with django_assert_num_queries(0):
        client.get(category_url(market.product))
    page = client.get(product_url(market)).content.decode()
    assert "Only 2 left" in page


def test_a_copy_rendered_before_a_change_is_stale_and_one_rendered_after_it_is_fresh():
    mark_changed([card_tag(7)])

    changed_at = stamps([card_tag(7), card_tag(8)])

    assert list(changed_at) == [card_tag(7)]
    assert not fresh(tags=[card_tag(7)], rendered=changed_at[card_tag(7)])
    assert not fresh(tags=[card_tag(7), card_tag(8)], rendered=changed_at[card_tag(7)] - 1)
    assert fresh(tags=[card_tag(7), card_tag(8)], rendered=changed_at[card_tag(7)] + 1)
    assert fresh(tags=[product_tag(7), card_tag(8)], rendered=1.0)


def test_a_card_is_rendered_once_and_reused_by_another_listing_showing_it(
    client, market, django_assert_num_queries
):
    from django.core.cache import cache

    from caravan.offers.models import ProductOfferSummary
    from caravan.storefront.card_cache import _fragment_key

    client.get(category_url(market.product))

    row = ProductOfferSummary.objects.get(product=market.product)
    stored = cache.get(
        _fragment_key(
            market.product.id,
            shown=(row.best_offer_id, row.seller_count),
            language="en",
            currency="RUB",
            country="RU",
            eager=True,
        )
    )
    assert stored is not None
    assert 'data-testid="product-card"' in stored[1]
    assert "Wireless Headphones" in stored[1]
    search = client.get("/search/?q=headphones").content.decode()
    assert search.count(stored[1]) == 1


def test_a_product_entering_listings_re_renders_its_category_and_searches_only(
    client,
    market,
    other_product,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    client.get(category_url(market.product))
    client.get(category_url(other_product))
    assert "0 products" in client.get("/search/?q=lamp").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        lamp = make_product(category=market.product.category, name_en="Desk Lamp")
        make_offer(seller=market.seller_ru, variant=lamp.variants.get(), price="900")

    with django_assert_num_queries(0):
        client.get(category_url(other_product))
    listing = client.get(category_url(market.product)).content.decode()
    search = client.get("/search/?q=lamp").content.decode()
    assert listing.count('data-testid="product-card"') == 2
    assert "Desk Lamp" in listing
    assert 'data-testid="card-price">900 ₽<' in search
