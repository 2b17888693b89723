"""Autocomplete (search.suggest.suggest) and the ways out of an empty search
(alternatives_for_no_results), over the phrases search.phrases keeps with the index."""

import pytest
from django.db import connection
from tests.factories import default_rates, make_offer, make_seller

from caravan.catalog.models import Category
from caravan.catalog.services import ProductInput, create_product
from caravan.offers.services import update_offer
from caravan.search.models import SearchPhrase
from caravan.search.phrases import name_phrases
from caravan.search.projection import project_listings
from caravan.search.services import rebuild_index
from caravan.search.suggest import QuerySuggestion, alternatives_for_no_results, suggest


def make_leaf(slug, name_ru, name_en, parent):
    return Category.objects.create(slug=slug, name_ru=name_ru, name_en=name_en, parent=parent)


@pytest.fixture
def shop(db):
    """Three pairs of sneakers and a phone on sale, and a phone nobody sells."""
    default_rates()
    seller = make_seller(name="Suggest Seller", country="RU", currency="RUB")
    fashion = Category.objects.create(slug="fashion", name_ru="Одежда", name_en="Fashion")
    electronics = Category.objects.create(
        slug="electronics", name_ru="Электроника", name_en="Electronics"
    )
    sneakers = make_leaf("sneakers", "Кроссовки", "Sneakers", fashion)
    phones = make_leaf("smartphones", "Смартфоны", "Smartphones", electronics)

    def product(name_ru, name_en, brand, leaf, *, stock=5):
        item = create_product(
            data=ProductInput(category=leaf, name_ru=name_ru, name_en=name_en, brand=brand)
        )
        offer = (
            make_offer(seller=seller, variant=item.variants.get(), stock=stock) if stock else None
        )
        return item, offer

    flow, flow_offer = product(
        "Кроссовки Velocita Flow", "Velocita Flow Running Shoes", "Velocita", sneakers
    )
    sprint, _offer = product(
        "Кроссовки Velocita Sprint", "Velocita Sprint Running Shoes", "Velocita", sneakers
    )
    peak, _offer = product(
        "Кроссовки для трейла Nordrun Peak", "Nordrun Peak Trail Shoes", "Nordrun", sneakers
    )
    iphone, _offer = product(
        "Смартфон Applewood iPhone 15", "Applewood iPhone 15", "Applewood", phones
    )
    pear, _offer = product(
        "Смартфон Applewood Pear 9", "Applewood Pear 9", "Applewood", phones, stock=0
    )
    return {
        "seller": seller,
        "sneakers": sneakers,
        "flow": flow,
        "flow_offer": flow_offer,
        "sprint": sprint,
        "peak": peak,
        "iphone": iphone,
        "pear": pear,
    }


def texts(text):
    return [query.text for query in suggest(text).queries]


def categories(text):
    return [(category.slug, category.count) for category in suggest(text).categories]


def counts():
    return dict(SearchPhrase.objects.values_list("text", "product_count"))


SNEAKER_PHRASES = [
    "кроссовки",
    "кроссовки Velocita",
    "кроссовки Nordrun",
    "кроссовки для трейла",
    "кроссовки Velocita Flow",
    "кроссовки Velocita Sprint",
]


def test_name_phrases_are_the_heads_a_buyer_would_type():
    assert name_phrases("Рюкзак для ноутбука Nordkap Urban 30", "Nordkap") == [
        "рюкзак",
        "рюкзак для ноутбука",
        "рюкзак для ноутбука Nordkap",
        "рюкзак для ноутбука Nordkap Urban",
    ]
    assert name_phrases("Городской рюкзак Packwell Trail 30", "Packwell") == [
        "городской рюкзак",
        "городской рюкзак Packwell",
        "городской рюкзак Packwell Trail",
    ]
    assert name_phrases("Nordkap Urban 30 Laptop Backpack", "Nordkap") == [
        "Nordkap Urban",
        "Nordkap Urban 30",
    ]
    assert name_phrases("Velocita Flow Running Shoes", "Velocita") == ["Velocita Flow"]
    assert name_phrases("Ivanovo Textile Anatolia Pillow #1204", "ivanovo textile") == [
        "Ivanovo Textile Anatolia"
    ]
    assert name_phrases("Wireless Headphones with Microphone", "Acme") == [
        "wireless",
        "wireless headphones",
    ]


def test_transliterated_mistyped_partial_and_shouted_words_suggest_the_same_phrases(shop):
    for text in ("krossovki", "кросс", "кросовки", "КРОССОВКИ", "kross"):
        assert texts(text) == SNEAKER_PHRASES, text
        assert categories(text) == [("sneakers", 3)], text


def test_a_brand_spelled_in_russian_suggests_its_latin_name(shop):
    assert texts("айфон") == [
        "Applewood iPhone",
        "Applewood iPhone 15",
        "смартфон Applewood iPhone",
    ]


def test_phrases_starting_as_typed_come_first_by_product_count(shop):
    assert texts("velo") == [
        "Velocita",
        "Velocita sneakers",
        "Velocita Flow",
        "Velocita Sprint",
        "кроссовки Velocita",
        "кроссовки Velocita Flow",
    ]


def test_every_word_typed_so_far_narrows_the_phrases(shop):
    assert texts("nordrun кросс") == [
        "кроссовки Nordrun",
        "кроссовки для трейла Nordrun",
        "кроссовки для трейла Nordrun Peak",
    ]
    assert categories("nordrun кросс") == [("sneakers", 3)]


def test_categories_named_by_a_word_come_with_their_buyable_product_count(shop):
    assert categories("smartph") == [("smartphones", 1)]
    assert categories("электрон") == [("electronics", 1)]
    assert categories("одежд") == [("fashion", 3)]


def test_a_product_nobody_can_buy_is_never_suggested(shop):
    assert texts("pear") == []
    assert texts("applewood") == [
        "Applewood",
        "Applewood iPhone",
        "Applewood iPhone 15",
        "Applewood smartphones",
        "смартфон Applewood",
        "смартфон Applewood iPhone",
    ]


def test_too_little_text_suggests_nothing(shop):
    assert not suggest("")
    assert not suggest("k")
    assert not suggest("?!")
    assert not suggest("zzzzzz")


def test_counts_follow_stock_and_a_rebuild_counts_the_same(shop):
    assert texts("кроссовки velo") == [
        "кроссовки Velocita",
        "кроссовки Velocita Flow",
        "кроссовки Velocita Sprint",
    ]

    update_offer(
        seller=shop["seller"], offer_public_id=shop["flow_offer"].public_id, stock_quantity=0
    )
    project_listings(product_ids=[shop["flow"].id])

    assert texts("кроссовки velo") == ["кроссовки Velocita", "кроссовки Velocita Sprint"]
    kept = counts()
    assert kept["кроссовки Velocita"] == 1
    assert kept["Velocita Flow"] == 0
    assert kept["кроссовки"] == 2

    rebuild_index()

    rebuilt = counts()
    assert "Velocita Flow" not in rebuilt
    assert rebuilt == {text: count for text, count in kept.items() if count}


def test_reindexing_twice_changes_no_count(shop):
    texts("kross")
    before = counts()

    project_listings(product_ids=[shop["flow"].id, shop["peak"].id])
    project_listings(product_ids=[shop["flow"].id])

    assert counts() == before


# --- no results ----------------------------------------------------------------------------


def test_an_unknown_word_is_dropped_and_the_rest_counted(shop):
    help = alternatives_for_no_results("кроссовки для zzzz")

    assert help.corrected is None
    assert help.relaxed == (QuerySuggestion(text="кроссовки", count=3, dropped=("zzzz",)),)
    assert [category.slug for category in help.categories] == ["sneakers"]
    assert help.popular == ()


def test_text_typed_on_the_wrong_keyboard_layout_is_corrected(shop):
    help = alternatives_for_no_results("rhjccjdrb")

    assert help.corrected == QuerySuggestion(text="кроссовки", count=3)
    assert [category.slug for category in help.categories] == ["sneakers"]


def test_words_that_match_apart_but_not_together_are_offered_one_by_one(shop):
    help = alternatives_for_no_results("nordrun velocita")

    assert help.relaxed == (
        QuerySuggestion(text="velocita", count=2, dropped=("nordrun",)),
        QuerySuggestion(text="nordrun", count=1, dropped=("velocita",)),
    )


def test_three_brands_that_never_meet_are_offered_as_single_searches(shop):
    help = alternatives_for_no_results("nordrun velocita applewood")

    assert help.relaxed == (
        QuerySuggestion(text="velocita", count=2, dropped=("nordrun", "applewood")),
        QuerySuggestion(text="nordrun", count=1, dropped=("velocita", "applewood")),
        QuerySuggestion(text="applewood", count=1, dropped=("nordrun", "velocita")),
    )


def test_nonsense_leads_to_the_top_level_categories_and_popular_products(shop):
    help = alternatives_for_no_results("qwertyuiop")

    assert help.corrected is None
    assert help.relaxed == ()
    assert [(category.slug, category.count) for category in help.categories] == [
        ("electronics", 1),
        ("fashion", 3),
    ]
    assert [summary.product_id for summary in help.popular] == [
        shop["flow"].id,
        shop["sprint"].id,
        shop["peak"].id,
        shop["iphone"].id,
    ]


def test_a_text_found_outside_the_category_says_how_much_is_there(shop):
    help = alternatives_for_no_results("iphone", category_ids=[shop["sneakers"].id])

    assert help.everywhere_count == 1
    assert help.corrected is None
    assert help.relaxed == ()


@pytest.mark.postgres
def test_postgresql_suggests_the_same_phrases(shop):
    if connection.vendor != "postgresql":
        pytest.fail(
            "needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_test"
        )

    for text in ("krossovki", "кросс", "кросовки", "kross"):
        assert texts(text) == SNEAKER_PHRASES, text
        assert categories(text) == [("sneakers", 3)], text
    assert texts("айфон") == [
        "Applewood iPhone",
        "Applewood iPhone 15",
        "смартфон Applewood iPhone",
    ]
    assert texts("velo")[:2] == ["Velocita", "Velocita sneakers"]
    assert alternatives_for_no_results("кроссовки zzzz").relaxed == (
        QuerySuggestion(text="кроссовки", count=3, dropped=("zzzz",)),
    )
    assert alternatives_for_no_results("rhjccjdrb").corrected == QuerySuggestion(
        text="кроссовки", count=3
    )
