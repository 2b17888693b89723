from decimal import Decimal

import pytest
from django.db import connection
from tests.factories import default_rates, make_category, make_offer, make_product, make_seller

from caravan.catalog.selectors import category_with_descendant_ids
from caravan.search.analysis import MAX_QUERY_LENGTH, MAX_QUERY_TOKENS, query_words
from caravan.search.results import PagedListing
from caravan.search.selectors import (
    PAGE_SIZE,
    ProductQuery,
    Sort,
    list_featured,
    list_newest,
    list_products,
)


@pytest.fixture
def shelf(db):
    """Four buyable products in three leaf categories, offered from RU, CN and DE."""
    default_rates()
    seller_ru = make_seller(name="Moscow Goods", country="RU", currency="RUB")
    seller_cn = make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25")
    seller_de = make_seller(name="Berlin Haus", country="DE", currency="EUR", delivery_price="9")
    electronics = make_category(slug="electronics")
    audio = make_category(slug="audio", parent=electronics)
    phones = make_category(slug="phones", parent=electronics)
    kitchen = make_category(slug="kitchen", parent=make_category(slug="home"))

    def product(name_en, name_ru, category, *offers):
        item = make_product(category=category, name_en=name_en, name_ru=name_ru)
        for seller, price, stock in offers:
            make_offer(seller=seller, variant=item.variants.get(), price=price, stock=stock)
        return item

    # Reference prices in RUB: headphones 1875 (150 CNY), speaker 3000 (30 EUR),
    # case 250 (20 CNY), kettle 1500; the grinder has no stock and is never listed.
    return {
        "headphones": product(
            "Wireless Headphones",
            "Беспроводные наушники",
            audio,
            (seller_ru, "2500", 5),
            (seller_cn, "150", 8),
        ),
        "speaker": product("Bluetooth Speaker", "Портативная колонка", audio, (seller_de, "30", 3)),
        "case": product("Smartphone Case", "Чехол для смартфона", phones, (seller_cn, "20", 50)),
        "kettle": product(
            "Electric Kettle", "Электрический чайник", kitchen, (seller_ru, "1500", 2)
        ),
        "grinder": product("Coffee Grinder", "Кофемолка", kitchen, (seller_de, "45", 0)),
        "electronics": electronics,
        "audio": audio,
        "kitchen": kitchen,
    }


def names(listing):
    return [summary.product.name_en for summary in listing.page.object_list]


def search(**fields):
    return list_products(query=ProductQuery(**fields), facets=True)


def ships_from_options(listing):
    """The countries the ships-from facet offers (counted without its own filter)."""
    return sorted(listing.facets.ships_from)


def test_every_buyable_product_is_listed_by_relevance(shelf):
    listing = search()

    assert names(listing) == [
        "Wireless Headphones",
        "Smartphone Case",
        "Electric Kettle",
        "Bluetooth Speaker",
    ]
    assert listing.total == 4
    assert ships_from_options(listing) == ["CN", "DE", "RU"]


def test_the_best_offer_shown_is_the_cheapest(shelf):
    first = search().page.object_list[0]

    assert first.best_offer.seller.name == "Shenzhen Tech"
    assert first.min_reference_price_amount == Decimal("1875.00")
    assert first.seller_count == 2


def test_a_leaf_category_filter(shelf):
    listing = search(category_ids=(shelf["audio"].id,))

    assert names(listing) == ["Wireless Headphones", "Bluetooth Speaker"]
    assert ships_from_options(listing) == ["CN", "DE", "RU"]


def test_a_parent_category_includes_its_children(shelf):
    ids = tuple(category_with_descendant_ids(category=shelf["electronics"]))

    assert names(search(category_ids=ids, sort=Sort.PRICE_ASC)) == [
        "Smartphone Case",
        "Wireless Headphones",
        "Bluetooth Speaker",
    ]


def test_ships_from_options_follow_the_category(shelf):
    assert ships_from_options(search(category_ids=(shelf["kitchen"].id,))) == ["RU"]


def test_a_price_range_is_inclusive(shelf):
    listing = search(price_min=Decimal("1500"), price_max=Decimal("1875"), sort=Sort.PRICE_ASC)

    assert names(listing) == ["Electric Kettle", "Wireless Headphones"]
    assert listing.total == 2


def test_an_empty_price_range_lists_nothing(shelf):
    assert search(price_min=Decimal("5000")).total == 0
    assert search(price_min=Decimal("2000"), price_max=Decimal("1000")).total == 0


def test_ships_from_filter(shelf):
    assert names(search(ships_from=("DE",))) == ["Bluetooth Speaker"]
    assert names(search(ships_from=("CN",), sort=Sort.PRICE_ASC)) == [
        "Smartphone Case",
        "Wireless Headphones",
    ]
    assert names(search(ships_from=("RU", "DE"), sort=Sort.PRICE_DESC)) == [
        "Bluetooth Speaker",
        "Wireless Headphones",
        "Electric Kettle",
    ]


def test_ships_from_ignores_offers_without_stock(shelf):
    # The German grinder has no stock: only the speaker ships from DE.
    assert search(ships_from=("DE",), category_ids=(shelf["kitchen"].id,)).total == 0


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            Sort.PRICE_ASC,
            ["Smartphone Case", "Electric Kettle", "Wireless Headphones", "Bluetooth Speaker"],
        ),
        (
            Sort.PRICE_DESC,
            ["Bluetooth Speaker", "Wireless Headphones", "Electric Kettle", "Smartphone Case"],
        ),
        (
            Sort.NEWEST,
            ["Electric Kettle", "Smartphone Case", "Bluetooth Speaker", "Wireless Headphones"],
        ),
        (
            "no-such-sort",
            ["Wireless Headphones", "Smartphone Case", "Electric Kettle", "Bluetooth Speaker"],
        ),
    ],
)
def test_sorts(shelf, sort, expected):
    assert names(search(sort=sort)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("наушники", ["Wireless Headphones"]),
        ("НАУШНИКИ", ["Wireless Headphones"]),
        ("Наушн", ["Wireless Headphones"]),
        ("headphones", ["Wireless Headphones"]),
        ("HeadPhones", ["Wireless Headphones"]),
        ("wireless наушники", ["Wireless Headphones"]),
        ("Чайник", ["Electric Kettle"]),
        ("case смартфона", ["Smartphone Case"]),
        ("кофемолка", []),
        ("headphones kettle", []),
    ],
)
def test_text_search_in_both_languages_ignores_case(shelf, text, expected):
    assert names(search(text=text)) == expected


def test_text_search_combines_with_filters(shelf):
    assert names(search(text="acme", category_ids=(shelf["audio"].id,), sort=Sort.PRICE_ASC)) == [
        "Wireless Headphones",
        "Bluetooth Speaker",
    ]
    assert search(text="чайник", ships_from=("CN",)).total == 0


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("", 4),
        ("   ", 4),
        ("!!! ??? ...", 4),
        ("%", 4),
        ("\x00", 4),
        ("_", 4),
        ("наушники\x00", 1),
        ("' OR 1=1 --", 0),
        ("a" * 10_000, 0),
        ("наушники " * 2_000, 1),
    ],
)
def test_malformed_queries_do_not_raise(shelf, text, total):
    assert search(text=text).total == total


@pytest.mark.parametrize("page", [0, -1, 999, 10**12])
def test_an_out_of_range_page_shows_the_last_page(shelf, page):
    listing = search(page=page)

    assert listing.page.number == 1
    assert len(listing.page.object_list) == 4


def test_query_words_are_bounded_words():
    assert [word.text for word in query_words("Wireless, НАУШНИКИ!")] == ["wireless", "наушники"]
    assert [word.text for word in query_words("x\x00y")] == ["x", "y"]
    assert len(query_words(" ".join(f"x{number}" for number in range(100)))) == MAX_QUERY_TOKENS
    assert [word.text for word in query_words("y" * 10_000)] == ["y" * MAX_QUERY_LENGTH]


def test_listing_pages_hold_page_size_products(db):
    default_rates()
    seller = make_seller(name="Bulk Seller")
    category = make_category(parent=make_category())
    for _ in range(PAGE_SIZE + 1):
        make_offer(seller=seller, variant=make_product(category=category).variants.get())

    first, second = search(page=1), search(page=2)

    assert (first.total, len(first.page.object_list), len(second.page.object_list)) == (
        PAGE_SIZE + 1,
        PAGE_SIZE,
        1,
    )


def test_featured_and_newest(shelf):
    assert [summary.product.name_en for summary in list_featured(limit=2)] == [
        "Wireless Headphones",
        "Smartphone Case",
    ]
    assert [summary.product.name_en for summary in list_newest(limit=2)] == [
        "Electric Kettle",
        "Smartphone Case",
    ]


def test_pages_past_the_rescoring_window_list_every_match_once_in_either_read(db, monkeypatch):
    # given eleven matching products and a rescoring window of three, pages of two
    default_rates()
    seller = make_seller(name="Lamp Shop", country="RU", currency="RUB")
    category = make_category(slug="lamps")
    for number in range(11):
        lamp = make_product(
            category=category, name_en=f"Desk lamp model {number}", name_ru=f"Лампа {number}"
        )
        make_offer(seller=seller, variant=lamp.variants.get(), price=str(1000 + number), stock=1)
    monkeypatch.setattr("caravan.search.results.RESCORE_WINDOW", 3)
    monkeypatch.setattr("caravan.search.selectors.PAGE_SIZE", 2)

    # when every page is read through the facet scan and through the ranked query
    def every_page(facets):
        seen = []
        for page in range(1, 7):
            listing = list_products(query=ProductQuery(text="lamp", page=page), facets=facets)
            seen += names(listing)
        return seen, listing.total

    scanned, scanned_total = every_page(True)
    queried, queried_total = every_page(False)

    # then both list the eleven lamps once each, in the same order
    assert (scanned_total, queried_total) == (11, 11)
    assert sorted(scanned) == sorted(f"Desk lamp model {number}" for number in range(11))
    assert scanned == queried


@pytest.mark.parametrize(
    "sort",
    [Sort.PRICE_ASC, Sort.PRICE_DESC, Sort.LANDED, Sort.FASTEST, Sort.NEWEST, Sort.RELEVANCE],
)
@pytest.mark.parametrize("text", ["", "lamp"])
def test_every_sort_pages_alike_with_and_without_the_facet_scan(db, monkeypatch, sort, text):
    # given eleven lamps in a category from two sellers with different delivery, four
    # prices between them (ties to break), and pages of three
    default_rates()
    near = make_seller(name="Near Lamps", country="RU", currency="RUB")
    far = make_seller(name="Far Lamps", country="CN", currency="CNY", delivery_price="25")
    category = make_category(slug="lamps")
    for number in range(11):
        lamp = make_product(
            category=category, name_en=f"Desk lamp model {number}", name_ru=f"Лампа {number}"
        )
        seller = near if number % 3 else far
        price = str(100 + (number % 4) * 10)
        make_offer(seller=seller, variant=lamp.variants.get(), price=price, stock=1)
    monkeypatch.setattr("caravan.search.selectors.PAGE_SIZE", 3)
    read = []
    original = PagedListing.__getitem__
    monkeypatch.setattr(
        PagedListing,
        "__getitem__",
        lambda self, index: read.append(index.start) or original(self, index),
    )

    # when every page (and one past the end) is read with facets and without
    def every_page(facets):
        seen = []
        for page in range(1, 6):
            query = ProductQuery(text=text, sort=sort, category_ids=(category.id,), page=page)
            seen.append(names(list_products(query=query, facets=facets)))
        return seen

    # then both read the same pages in the same order, each lamp once
    scanned, queried = every_page(True), every_page(False)
    assert scanned == queried
    assert sorted(name for page in scanned[:4] for name in page) == sorted(
        f"Desk lamp model {number}" for number in range(11)
    )
    assert scanned[4] == scanned[3]
    # and PostgreSQL's scan served the pages it read (page 5 is out of range: the last page
    # is read from the listing's query instead); SQLite leaves every page to the query
    scanned_pages = [0, 3, 6, 9, 9] if text == "" or sort != Sort.RELEVANCE else []
    assert read == (scanned_pages if connection.vendor == "postgresql" else [])
