"""A listing's order, total and facet counts reused for a few seconds while its cards stay
current (storefront.memo.remembered_listing, docs/decisions/0023-remembered-listing-order.md)."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caravan.kernel.money import Money
from caravan.offers.models import ProductOfferSummary
from caravan.offers.services import update_offer

from .shelves import build_shelf

pytestmark = pytest.mark.django_db

CARD_PRICE = re.compile(r'data-testid="card-price">([^<]*)<')
CARD_NAME = re.compile(r'class="product-card-name" href="[^"]*">([^<]*)<')
RESULT_COUNT = re.compile(r'data-testid="result-count">([^<]*)<')


def card_names(response):
    # From the page: one served from a kept page renders no template.
    return CARD_NAME.findall(response.content.decode())


def result_count(response):
    return RESULT_COUNT.findall(response.content.decode())[0]


@pytest.fixture(params=[False, True], ids=["shared-copies", "process-copies"])
def shared_cache(request, settings):
    """A shared cache, and with "process-copies" the copies each process keeps beside it
    (kept pages, cards: on wherever Redis is)."""
    settings.STOREFRONT_PROCESS_MEMO = request.param
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "listing-copy-tests",
        },
    }
    settings.STOREFRONT_PAGE_CACHE = False
    settings.STOREFRONT_LISTING_SECONDS = 5
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def reprice(django_capture_on_commit_callbacks):
    """A seller's new price, projected and announced as after its commit."""

    def change(shelf, index, roubles):
        with django_capture_on_commit_callbacks(execute=True):
            update_offer(
                seller=shelf.seller_ru,
                offer_public_id=shelf.offers[index].public_id,
                price=Money(roubles, "RUB"),
            )

    return change


def test_a_listing_seen_again_within_its_seconds_reads_its_page_by_id_and_runs_no_scan(
    client, shared_cache
):
    build_shelf(count=3)
    first = client.get("/c/electronics/?sort=price")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/c/electronics/?sort=price")

    listing_reads = [
        query["sql"]
        for query in queries.captured_queries
        if '"offers_productoffersummary"' in query["sql"]
    ]
    assert len(listing_reads) == 1
    assert '"offers_productoffersummary"."product_id" IN' in listing_reads[0]
    assert "facet_keys" not in listing_reads[0].split("WHERE", 1)[0]
    assert card_names(again) == card_names(first) == ["Phone 00", "Phone 01", "Phone 02"]
    assert result_count(again) == "3 products"


def test_a_price_change_shows_at_once_on_the_card_while_the_order_is_remembered(
    client, shared_cache, reprice
):
    shelf = build_shelf(count=3)
    client.get("/c/electronics/?sort=price")

    reprice(shelf, 0, "1500")
    remembered = client.get("/c/electronics/?sort=price")
    shared_cache.STOREFRONT_LISTING_SECONDS = 0
    current = client.get("/c/electronics/?sort=price")

    # Phone 01 is priced in yuan (1100 roubles), Phone 02 in roubles.
    assert card_names(remembered) == ["Phone 00", "Phone 01", "Phone 02"]
    assert CARD_PRICE.findall(remembered.content.decode())[0] == "1,500 ₽"
    assert card_names(current) == ["Phone 01", "Phone 02", "Phone 00"]


def test_a_card_whose_price_left_the_chosen_range_leaves_the_remembered_page(
    client, shared_cache, reprice
):
    shelf = build_shelf(count=3)
    url = "/c/electronics/?sort=price&price_max=1150"
    assert card_names(client.get(url)) == ["Phone 00", "Phone 01"]

    reprice(shelf, 0, "1300")
    response = client.get(url)

    assert card_names(response) == ["Phone 01"]
    # The count is the remembered one for those seconds.
    assert result_count(response) == "2 products"


def test_a_product_no_longer_buyable_is_never_shown_from_a_remembered_page(client, shared_cache):
    # The listing row says it at once; its announcement (which drops the copy) may come
    # later, from a projection worker.
    shelf = build_shelf(count=3)
    client.get("/c/electronics/?sort=price")

    ProductOfferSummary.objects.filter(product=shelf.products[0]).update(is_buyable=False)
    response = client.get("/c/electronics/?sort=price")

    assert card_names(response) == ["Phone 01", "Phone 02"]


# Once served from the kept page, its listing's stamp is read with the page (kept_page's
# remembered tag) rather than after it.
@pytest.mark.parametrize("visits", [1, 2], ids=["rendered", "served-from-kept-page"])
def test_a_product_leaving_the_listing_drops_the_remembered_order_and_counts(
    client, shared_cache, django_capture_on_commit_callbacks, visits
):
    shelf = build_shelf(count=3)
    for _ in range(visits):
        client.get("/c/electronics/?sort=price")

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=shelf.seller_ru, offer_public_id=shelf.offers[0].public_id, stock_quantity=0
        )
    response = client.get("/c/electronics/?sort=price")

    assert card_names(response) == ["Phone 01", "Phone 02"]
    assert result_count(response) == "2 products"


def test_a_search_seen_again_within_its_seconds_shows_the_same_page(client, shared_cache):
    build_shelf(count=3)
    first = client.get("/search/?q=phone")

    again = client.get("/search/?q=phone")

    assert card_names(again) == card_names(first)
    assert len(card_names(again)) == 3
    assert "Results for “phone”" in again.content.decode()


def test_a_page_rendered_from_an_older_order_is_not_kept_by_the_page_cache(
    client, shared_cache, reprice
):
    # The page is stored as old as the order it shows: a card changed since then makes it
    # stale, so it is not kept for the page cache's minute with an order seconds old.
    shared_cache.STOREFRONT_PAGE_CACHE = True
    shelf = build_shelf(count=3)
    url = "/c/electronics/?sort=price"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    reprice(shelf, 0, "1500")
    outcomes = [client.get(url)["X-Page-Cache"] for _ in range(2)]

    assert outcomes == ["miss", "miss"]


def test_a_kept_listing_page_carries_each_visitor_s_own_account_area_and_token(
    client, shared_cache, market
):
    from django.test import Client

    url = f"/c/{market.product.category.slug}/"
    client.force_login(market.buyer)
    session = client.session
    session["cart_count"] = 3
    session.save()
    client.get(url)  # a signed-in visit keeps the page
    visitor = Client(enforce_csrf_checks=True)

    body = visitor.get(url).content.decode()
    token = body.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    added = visitor.post(
        "/cart/add/",
        {"offer": market.offer_ru.public_id, "quantity": 1},
        HTTP_X_CSRFTOKEN=token,
    )

    assert "Sign out" not in body
    assert 'id="cart-count">3<' not in body
    assert "caravan-csrf-marker" not in body
    assert "Wireless Headphones" in body
    assert added.status_code == 302
    mine = client.get(url).content.decode()
    assert "Sign out" in mine
    assert 'id="cart-count">3<' in mine


def test_a_kept_listing_page_shows_a_renamed_category_at_once(
    client, shared_cache, market, django_capture_on_commit_callbacks
):
    from caravan.catalog.services import set_category_translation

    url = f"/c/{market.product.category.slug}/"
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        set_category_translation(
            category=market.product.category, language="en", name="Earphones and more"
        )
    body = client.get(url).content.decode()

    assert "<h1>Earphones and more</h1>" in body


def test_a_category_deleted_with_the_admins_bulk_action_is_gone_at_once(
    client, admin_client, shared_cache, django_capture_on_commit_callbacks
):
    from caravan.catalog.models import Category

    empty = Category.objects.create(slug="empty-shelf", name_ru="Пустая", name_en="Empty shelf")
    url = f"/c/{empty.slug}/"
    kept = client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        deleted = admin_client.post(
            "/admin/catalog/category/",
            {"action": "delete_selected", "_selected_action": [empty.pk], "post": "yes"},
        )

    assert (kept.status_code, deleted.status_code) == (200, 302)
    assert not Category.objects.filter(pk=empty.pk).exists()
    assert client.get(url).status_code == 404


@pytest.fixture
def frozen_time(monkeypatch):
    """time.time at a chosen moment, for the code and the local-memory cache's expiry."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def scanned(queries):
    """Whether the listing was scanned (not read again by id from a remembered order)."""
    reads = [
        q["sql"] for q in queries.captured_queries if '"offers_productoffersummary"' in q["sql"]
    ]
    return any('"offers_productoffersummary"."product_id" IN' not in sql for sql in reads)


def test_a_page_rendered_in_its_order_s_last_second_is_kept_for_that_fraction(
    client, shared_cache, frozen_time
):
    build_shelf(count=3)
    url = "/c/electronics/?sort=price"
    client.get(url)  # the order remembered at T0
    german = Client()
    german.cookies["django_language"] = "de"

    frozen_time[0] += 4.2
    rendered = german.get(url)  # from the remembered order: rendered, then kept 0.8 s
    frozen_time[0] += 0.3
    kept = german.get(url)
    frozen_time[0] += 0.5  # T0 + 5: the order's seconds are over
    with CaptureQueriesContext(connection) as queries:
        after = german.get(url)

    assert [bool(response.templates) for response in (rendered, kept, after)] == [
        True,
        False,
        True,
    ]
    assert scanned(queries)
    assert card_names(kept) == card_names(rendered) == card_names(after)


def test_a_remembered_order_is_not_used_past_its_seconds_while_the_cache_still_holds_it(
    client, shared_cache, frozen_time
):
    build_shelf(count=3)
    url = "/search/?q=phone"
    client.get(url)
    (stored,) = [key.split(":", 2)[2] for key in cache._cache if "storefront:listing:" in key]
    cache.set(stored, cache.get(stored), timeout=60)  # as if stored after a long scan

    frozen_time[0] += 5
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert scanned(queries)
    assert len(card_names(again)) == 3
