"""Cards and the filters box from the fragment cache: the same page as rendered in full."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from tests.factories import make_offer, make_product, make_seller

from caravan.catalog.selectors import get_product
from caravan.catalog.services import set_category_translation, update_product_details
from caravan.kernel.money import Money
from caravan.offers.services import update_offer
from caravan.storefront.memo import ProductEntry
from caravan.storefront.product_parts import product_parts

pytestmark = pytest.mark.django_db

OFFER_PRICE = re.compile(r'data-testid="offer-price">([^<]*)')
TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


@pytest.fixture(params=[False, True], ids=["shared-copies", "process-copies"])
def fragment_cache(request, settings):
    """The fragment cache, and with "process-copies" the copies each process keeps beside it
    (the offer lines, rows, entries and remembered values: on wherever Redis is)."""
    settings.STOREFRONT_PROCESS_MEMO = request.param
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragment-tests",
        }
    }
    settings.STOREFRONT_PAGE_CACHE = False
    cache.clear()
    yield settings
    cache.clear()


def edit_details(product, **changes):
    """update_product_details with the product's other details as they are."""
    details = {
        field: getattr(product, field)
        for field in ("name_ru", "name_en", "brand", "description_ru", "description_en")
    }
    update_product_details(product=product, **{**details, **changes})


def page(client, url):
    return TOKEN.sub(r"\1token", client.get(url).content.decode())


@pytest.mark.parametrize(
    ("url", "cards"),
    [
        ("/", 4),  # two shelves of two
        ("/c/{slug}/", 2),
        ("/c/{slug}/?sort=price_asc&ships_from=RU", 2),
        ("/search/?q=headphones", 1),
    ],
)
def test_a_page_from_fragments_is_the_page_rendered_in_full(
    client, market, fragment_cache, url, cards
):
    make_offer(
        seller=market.seller_ru,
        variant=make_product(category=market.product.category).variants.get(),
    )
    address = url.format(slug=market.product.category.slug)
    fragment_cache.STOREFRONT_CARD_CACHE = False
    full = page(client, address)
    fragment_cache.STOREFRONT_CARD_CACHE = True
    page(client, address)  # stores the fragments

    from_fragments = page(client, address)

    assert from_fragments == full
    assert from_fragments.count('data-testid="product-card"') == cards


def test_the_filters_box_is_shared_by_the_pages_of_a_listing_and_not_by_other_counts(
    client, market, fragment_cache, django_capture_on_commit_callbacks
):
    url = f"/c/{market.product.category.slug}/"
    client.get(url)
    client.get(f"{url}?page=2")
    boxes = list(cache._cache)
    stored = [key for key in boxes if "storefront:filters:" in key]
    assert len(stored) == 1

    # Announced after its commit: a product entering the listing makes its counts anew
    # (the remembered ones are dropped, ADR 0023).
    with django_capture_on_commit_callbacks(execute=True):
        make_offer(
            seller=market.seller_cn,
            variant=make_product(category=market.product.category).variants.get(),
        )
    client.get(url)

    boxes = [key for key in cache._cache if "storefront:filters:" in key]
    assert len(boxes) == 2


def test_the_filters_box_says_filters_are_on_when_one_is_chosen(client, market, fragment_cache):
    url = f"/c/{market.product.category.slug}/?ships_from=CN"

    body = client.get(url).content.decode()

    assert 'class="filters-title">Filters <span class="badge badge-info">on</span></label>' in body


def test_a_product_page_from_offer_row_copies_is_the_page_rendered_in_full(
    client, market, fragment_cache
):
    url = f"/p/{market.product.public_id}/"
    fragment_cache.STOREFRONT_CARD_CACHE = False
    full = page(client, url)
    fragment_cache.STOREFRONT_CARD_CACHE = True
    page(client, url)  # stores the rows

    from_copies = page(client, url)

    assert from_copies == full
    assert from_copies.count('data-testid="offer"') == 2
    assert from_copies.count('name="next" value="/p/') == 3  # the buy box and both rows


def test_a_price_change_renders_that_offer_row_again_and_reuses_the_other(
    client, market, fragment_cache
):
    url = f"/p/{market.product.public_id}/"
    client.get(url)
    rows_before = {key for key in cache._cache if "storefront:offer-row:" in key}

    update_offer(
        seller=market.seller_ru,
        offer_public_id=market.offer_ru.public_id,
        price=Money("2400", "RUB"),
    )
    body = client.get(url).content.decode()

    rows_after = {key for key in cache._cache if "storefront:offer-row:" in key}
    assert (len(rows_before), len(rows_after - rows_before)) == (2, 1)
    assert "2,400" in " ".join(OFFER_PRICE.findall(body))
    assert "2,500" not in body


BUY_BOX_PRICE = re.compile(r'data-testid="buy-box-price">([^<]*)<')


def buy_box_keys():
    return {key for key in cache._cache if "storefront:buy-box:" in key}


def test_the_buy_box_is_kept_while_what_it_shows_holds_and_rendered_again_when_not(
    client, market, fragment_cache
):
    url = f"/p/{market.product.public_id}/"
    first = client.get(url).content.decode()
    kept = buy_box_keys()

    # The other seller's stock: its row changes, the buy box (the Chinese offer) does not.
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=4
    )
    client.get(url)
    after_stock = buy_box_keys()
    update_offer(
        seller=market.seller_cn,
        offer_public_id=market.offer_cn.public_id,
        price=Money("140", "CNY"),
    )
    repriced = client.get(url).content.decode()

    assert len(kept) == 1
    assert after_stock == kept
    assert len(buy_box_keys() - kept) == 1
    # 150 and 140 yuan at the test rates with the margin.
    assert BUY_BOX_PRICE.findall(first) == ["1,903.13 ₽"]
    assert BUY_BOX_PRICE.findall(repriced) == ["1,776.25 ₽"]


def test_an_offer_row_copy_carries_each_visitor_s_own_token_and_address(
    client, market, fragment_cache
):
    url = f"/p/{market.product.public_id}/"
    client.get(f"{url}?variant=x")

    body = client.get(url).content.decode()

    token = client.cookies["csrftoken"].value
    forms = body.count('name="csrfmiddlewaretoken" value="')
    assert body.count(f'name="next" value="{url}"') == 3
    assert body.count("caravan-") == 0
    assert forms >= 3 and token


@pytest.mark.parametrize("url", ["/", "/c/{slug}/", "/search/?q=headphones"])
def test_a_page_of_cached_cards_reads_no_product_or_offer_row(client, market, fragment_cache, url):
    address = url.format(slug=market.product.category.slug)
    page(client, address)  # stores the fragments

    with CaptureQueriesContext(connection) as queries:
        page(client, address)

    statements = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in statements if '"catalog_product"."name_en"' in sql] == []
    assert [sql for sql in statements if '"offers_offer"."price_amount"' in sql] == []


def test_a_product_page_quotes_from_its_sellers_remembered_shipping_tables(
    client, market, fragment_cache
):
    address = f"/p/{market.product.public_id}/"
    first = page(client, address)

    with CaptureQueriesContext(connection) as queries:
        again = page(client, address)

    statements = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in statements if '"shipping_shippingzone"' in sql] == []
    assert [sql for sql in statements if '"shipping_weightband"' in sql] == []
    assert again == first


def test_a_product_page_without_the_fragment_cache_reads_the_shipping_tables(
    client, market, fragment_cache
):
    fragment_cache.STOREFRONT_CARD_CACHE = False
    address = f"/p/{market.product.public_id}/"
    page(client, address)

    with CaptureQueriesContext(connection) as queries:
        page(client, address)

    statements = [query["sql"] for query in queries.captured_queries]
    assert len([sql for sql in statements if '"shipping_shippingzone"' in sql]) == 1


def test_a_product_page_reads_its_catalog_entry_once_per_version(client, market, fragment_cache):
    address = f"/p/{market.product.public_id}/"
    page(client, address)

    with CaptureQueriesContext(connection) as queries:
        page(client, address)

    statements = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in statements if '"catalog_productimage"' in sql] == []
    assert [sql for sql in statements if '"catalog_attributevalue"' in sql] == []


def test_a_product_page_shows_a_new_description_at_once(client, market, fragment_cache):
    address = f"/p/{market.product.public_id}/"
    page(client, address)
    edit_details(market.product, description_en="Now with a longer cable")

    shown = page(client, address)

    assert "Now with a longer cable" in shown


def test_a_product_page_shows_a_renamed_category_at_once(
    client, market, fragment_cache, django_capture_on_commit_callbacks
):
    address = f"/p/{market.product.public_id}/"

    with translation.override("de"):
        client.cookies["django_language"] = "de"
        page(client, address)
        with django_capture_on_commit_callbacks(execute=True):
            set_category_translation(
                category=market.product.category, language="de", name="Kopfhörer und Zubehör"
            )
        shown = page(client, address)

    assert "Kopfhörer und Zubehör" in shown


PARTS_TEMPLATE = "storefront/_product_parts.html"


def test_a_product_page_renders_its_catalog_parts_once_per_version_of_the_entry(
    client, market, fragment_cache
):
    address = f"/p/{market.product.public_id}/"
    first = client.get(address)

    again = client.get(address)

    assert [t.name for t in first.templates].count(PARTS_TEMPLATE) == 1
    assert [t.name for t in again.templates].count(PARTS_TEMPLATE) == 0
    assert again.content.decode().count('<nav class="breadcrumbs"') == 1


def test_a_renamed_product_renders_its_parts_again_with_the_new_name(
    client, market, fragment_cache
):
    address = f"/p/{market.product.public_id}/"
    client.get(address)
    edit_details(market.product, name_en="Studio headphones, second edition")

    shown = client.get(address)

    assert [t.name for t in shown.templates].count(PARTS_TEMPLATE) == 1
    assert "<h1>Studio headphones, second edition</h1>" in shown.content.decode()


def test_the_parts_are_kept_as_old_as_the_entry_they_are_rendered_from(market, fragment_cache):
    # A rename announced after the entry was read makes the parts rendered from it stale too.
    entry = ProductEntry(
        product=get_product(public_id=market.product.public_id),
        read_at=1234.5,
        parts_key="storefront:product-parts:test",
    )

    parts = product_parts(entry, specs=[], specs_fallback=None)

    assert cache.get("storefront:product-parts:test")[0] == 1234.5
    assert '<nav class="breadcrumbs"' in parts.breadcrumbs


def shell_keys():
    return {key for key in cache._cache if "storefront:product-shell:" in key}


def test_a_price_change_fills_the_kept_product_page_with_the_new_price(
    client, market, fragment_cache
):
    url = f"/p/{market.product.public_id}/"
    client.get(url)
    kept = shell_keys()

    update_offer(
        seller=market.seller_ru,
        offer_public_id=market.offer_ru.public_id,
        price=Money("2400", "RUB"),
    )
    from_shell = page(client, url)
    fragment_cache.STOREFRONT_CARD_CACHE = False
    full = page(client, url)

    assert len(kept) == 1
    assert shell_keys() == kept
    assert from_shell == full
    assert "2,400" in " ".join(OFFER_PRICE.findall(from_shell))
    assert "2,500" not in from_shell


def test_a_new_seller_or_a_new_name_renders_the_product_page_around_the_offers_again(
    client, market, fragment_cache
):
    url = f"/p/{market.product.public_id}/"
    client.get(url)

    make_offer(seller=make_seller(name="Kazan Audio"), variant=market.product.variants.get())
    three = client.get(url).content.decode()
    edit_details(get_product(public_id=market.product.public_id), name_en="Studio Headphones")
    renamed = client.get(url).content.decode()

    assert len(shell_keys()) == 3
    assert "3 sellers offer this product" in three
    assert "<title>Studio Headphones · Caravan</title>" in renamed


def test_a_kept_product_page_carries_each_visitor_s_header_and_never_a_message(
    client, market, fragment_cache
):
    url = f"/p/{market.product.public_id}/"
    client.get(url)  # kept by an anonymous visit
    buyer = Client()
    buyer.force_login(market.buyer)

    added = buyer.post(
        "/cart/add/",
        {"offer": market.offer_ru.public_id, "quantity": 1, "next": url},
        follow=True,
    ).content.decode()
    again = buyer.get(url).content.decode()
    anonymous = client.get(url).content.decode()

    assert "Added to cart" in added
    assert "Added to cart" not in again
    assert "Sign out" in again
    assert 'id="cart-count">1<' in again
    assert "Added to cart" not in anonymous
    assert "Sign out" not in anonymous
    assert len(shell_keys()) == 1
