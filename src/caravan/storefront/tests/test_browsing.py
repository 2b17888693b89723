"""Home, category listings, search, filters, sorting, pagination and the product page."""

import re
from datetime import UTC, date, datetime

import pytest
from tests.factories import make_category, make_offer, make_product, make_seller, set_clock

from caravan.catalog.models import Product
from caravan.offers.services import update_offer
from caravan.search.selectors import PAGE_SIZE

from .shelves import add_products, build_shelf, card_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday_morning(monkeypatch):
    """The clock stopped before the market is built (request it first): everything the test
    creates has one creation time, whatever today's date, and the newest shelf orders it by
    id. Stopped inside the test, the market's product kept the real time and came out newest
    once the real clock passed this date."""
    return set_clock(monkeypatch, at=datetime(2026, 12, 7, 3, 0, tzinfo=UTC))


def test_home_shows_categories_featured_products_and_the_seller_countries(
    monday_morning, client, market
):
    shelf = build_shelf(count=2)

    response = client.get("/")

    assert response.status_code == 200
    assert [node.category.slug for node in response.context["category_tree"]] == [
        market.product.category.parent.slug,
        "electronics",
    ]
    featured = response.context["featured"]
    assert [card.product.name for card in featured] == [
        "Wireless Headphones",
        "Phone 00",
        "Phone 01",
    ]
    assert featured[0].seller_count == 2
    assert str(featured[0].price) == "150 CN¥"
    assert featured[0].seller.name == "Shenzhen Tech"
    assert [card.product.name for card in response.context["newest"]] == [
        "Phone 01",
        "Phone 00",
        "Wireless Headphones",
    ]
    page = response.content.decode()
    assert "Sellers from 2 countries" in page
    assert f'href="/c/{shelf.leaf.slug}/"' in page
    assert "2 sellers" in page
    # The winner ships from Shenzhen: three handling days, then 3-7 days in transit.
    assert "Delivery 13–17 December" in page


def test_a_category_lists_its_own_and_its_childrens_products(client, market):
    shelf = build_shelf(count=3)
    other_child = make_category(slug="electronics-tablets", parent=shelf.parent)
    make_offer(
        seller=shelf.seller_ru,
        variant=make_product(category=other_child, name_en="Tablet").variants.get(),
    )

    parent_page = client.get("/c/electronics/")
    child_page = client.get(f"/c/{shelf.leaf.slug}/")

    assert sorted(card_names(parent_page)) == ["Phone 00", "Phone 01", "Phone 02", "Tablet"]
    assert sorted(card_names(child_page)) == ["Phone 00", "Phone 01", "Phone 02"]
    assert parent_page.context["listing"].total == 4
    assert "Wireless Headphones" not in parent_page.content.decode()


def test_an_unknown_category_is_404(client, db):
    assert client.get("/c/no-such-thing/").status_code == 404


def test_search_matches_names_in_either_language(client, market):
    build_shelf(count=3)

    english = client.get("/search/", {"q": "headphones"})
    russian = client.get("/search/", {"q": "НАУШНИКИ"})
    nothing = client.get("/search/", {"q": "bicycle"})

    assert card_names(english) == ["Wireless Headphones"]
    assert card_names(russian) == ["Wireless Headphones"]
    assert card_names(nothing) == []
    assert "Nothing found." in nothing.content.decode()


def test_price_filter_uses_the_rouble_reference_price(client, db):
    build_shelf(count=6)  # 1000, 1100 ... 1500 roubles; odd ones priced in CNY

    response = client.get("/c/electronics/", {"price_min": "1100", "price_max": "1300"})

    assert sorted(card_names(response)) == ["Phone 01", "Phone 02", "Phone 03"]
    assert "Price, ₽" in response.content.decode()


def test_ships_from_filter_keeps_products_shipped_from_the_ticked_countries(client, db):
    build_shelf(count=4)

    response = client.get("/c/electronics/", {"ships_from": ["CN"]})

    assert sorted(card_names(response)) == ["Phone 01", "Phone 03"]
    ships_from = next(g for g in response.context["facet_groups"] if g.name == "ships_from")
    # RU still counts: ticking it would add its two products to the two from CN
    assert [(o.value, o.count, o.selected) for o in ships_from.options] == [
        ("CN", 2, True),
        ("RU", 2, False),
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["Phone 00", "Phone 01", "Phone 02", "Phone 03"]),
        ("-price", ["Phone 03", "Phone 02", "Phone 01", "Phone 00"]),
        ("newest", ["Phone 03", "Phone 02", "Phone 01", "Phone 00"]),
    ],
)
def test_listing_sorts(client, db, sort, expected):
    build_shelf(count=4)

    response = client.get("/c/electronics/", {"sort": sort})

    assert card_names(response) == expected


def test_listing_pages_through_the_results(client, db):
    build_shelf(count=PAGE_SIZE + 3)

    first = client.get("/c/electronics/", {"sort": "price"})
    second = client.get("/c/electronics/", {"sort": "price", "page": "2"})

    assert len(card_names(first)) == PAGE_SIZE
    assert card_names(second) == [f"Phone {index:02d}" for index in range(PAGE_SIZE, PAGE_SIZE + 3)]
    assert 'href="?sort=price&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-4"},
        {"page": "99999999999999999999"},
        {"sort": "drop table"},
        {"ships_from": ["XX"]},
        {"price_min": "abc"},
        {"price_max": "NaN"},
        {"price_min": "1e999"},
        {"price_min": "-5"},
        {"q": "\x00" + "x" * 500},
    ],
)
def test_bad_query_parameters_do_not_break_the_listing(client, db, params):
    build_shelf(count=3)

    response = client.get("/search/", params)

    assert response.status_code == 200
    if "q" not in params:
        assert sorted(card_names(response)) == ["Phone 00", "Phone 01", "Phone 02"]


def test_a_mistyped_price_is_shown_as_a_form_error_and_ignored(client, db):
    build_shelf(count=3)

    response = client.get("/c/electronics/", {"price_min": "cheap", "price_max": "1100"})

    assert response.context["errors"] == {"price_min": ["Enter a number."]}
    assert sorted(card_names(response)) == ["Phone 00", "Phone 01"]
    assert 'data-testid="filter-error">Enter a number.' in response.content.decode()


def test_an_upper_price_below_the_lower_one_is_reported(client, db):
    build_shelf(count=3)

    response = client.get("/c/electronics/", {"price_min": "1200", "price_max": "1000"})

    assert response.context["errors"] == {"price_max": ["The upper price is below the lower one."]}
    assert sorted(card_names(response)) == ["Phone 02"]


def test_product_page_lists_every_offer_cheapest_first_with_delivery_and_stock(
    client, market, monkeypatch
):
    set_clock(monkeypatch, at=datetime(2026, 12, 7, 3, 0, tzinfo=UTC))  # a Monday morning
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=3
    )
    sold_out_seller = make_seller(name="Berlin Store", country="DE", currency="EUR")
    make_offer(seller=sold_out_seller, variant=market.product.variants.get(), price="30", stock=0)

    response = client.get(f"/p/{market.product.public_id}/{market.product.slug}/")

    rows = response.context["page"].rows
    assert [(row.offer.seller.name, row.stock_state) for row in rows] == [
        ("Shenzhen Tech", "in_stock"),
        ("Moscow Goods", "low"),
        ("Berlin Store", "out"),
    ]
    # Shenzhen: three handling days, then 3-7 in transit; Moscow and Berlin: one, then 3-7.
    assert [(row.promise.earliest, row.promise.latest) for row in rows] == [
        (date(2026, 12, 13), date(2026, 12, 17)),
        (date(2026, 12, 11), date(2026, 12, 15)),
        (date(2026, 12, 11), date(2026, 12, 15)),
    ]
    # In the buyer's roubles, with the 1.5 % margin: 150 * 12.50 = 1875 -> 1903.125;
    # 30 * 100 = 3000 -> 3045; the rouble offer as it is.
    assert [str(row.buyer_price.buyer) for row in rows] == ["1,903.13 ₽", "2,500 ₽", "3,045 ₽"]
    page = response.content.decode()
    assert "Delivery 13–17 December to Russia" in page
    assert "1,903.13 ₽" in page
    assert "≈\xa0150 CN¥" in page
    assert "2,500 ₽" in page
    assert "≈\xa030 €" in page
    assert "Only 3 left" in page
    assert "Out of stock" in page
    assert "Series" in page and "Classic" in page
    assert "Product description" in page
    assert page.count('data-testid="add-to-cart"') == 3  # the buy box and two offers


def test_product_page_filters_offers_by_variant(client, db):
    product = make_product(colours=("Black", "White"))
    black, white = product.variants.all()
    seller = make_seller(name="Moscow Goods")
    make_offer(seller=seller, variant=black, price="1000")
    make_offer(seller=make_seller(name="Tula Goods"), variant=white, price="1200")

    response = client.get(f"/p/{product.public_id}/", {"variant": white.public_id})

    page = response.context["page"]
    assert [row.offer.seller.name for row in page.rows] == ["Tula Goods"]
    assert [(choice.label, choice.is_selected) for choice in page.variants] == [
        ("Black", False),
        ("White", True),
    ]


def test_the_variant_chips_keep_the_page_s_other_parameters(client, db):
    product = make_product(colours=("Black", "White"))
    black, white = product.variants.all()
    make_offer(seller=make_seller(name="Moscow Goods"), variant=black, price="1000")
    make_offer(seller=make_seller(name="Tula Goods"), variant=white, price="1200")

    plain = client.get(f"/p/{product.public_id}/").content.decode()
    chosen = client.get(
        f"/p/{product.public_id}/", {"variant": white.public_id, "utm_source": "mail"}
    ).content.decode()

    chips = re.compile(r'<a class="chip( is-current)?" href="([^"]*)"')
    assert chips.findall(plain) == [
        (" is-current", ""),
        ("", f"?variant={black.public_id}"),
        ("", f"?variant={white.public_id}"),
    ]
    assert chips.findall(chosen) == [
        ("", "?utm_source=mail"),
        ("", f"?variant={black.public_id}&amp;utm_source=mail"),
        (" is-current", f"?variant={white.public_id}&amp;utm_source=mail"),
    ]


def test_unknown_or_hidden_products_are_404(client, market):
    Product.objects.filter(id=market.product.id).update(is_active=False)

    assert client.get("/p/nope/").status_code == 404
    assert client.get(f"/p/{market.product.public_id}/").status_code == 404


def test_more_products_appear_on_the_next_page_only(client, db):
    shelf = build_shelf(count=PAGE_SIZE)
    add_products(shelf, count=1)

    response = client.get("/c/electronics/", {"sort": "price", "page": "2"})

    assert card_names(response) == [f"Phone {PAGE_SIZE:02d}"]
