"""Two typos, the wrong keyboard layout, sizes in words: on a small catalog indexed through
rebuild_index (what `caravan search-rebuild` runs)."""

import pytest
from tests.factories import default_rates, make_category, make_offer, make_product, make_seller

from caravan.catalog.models import Category
from caravan.catalog.services import (
    AttributeInput,
    ProductInput,
    VariantInput,
    create_product,
    ensure_attribute,
)
from caravan.search.backends import get_backend
from caravan.search.ranking import plan_query
from caravan.search.selectors import ProductQuery, list_products, search_products
from caravan.search.services import rebuild_index
from caravan.sellers.models import Seller


@pytest.fixture
def shop(db):
    default_rates()
    seller = make_seller(name="Moscow Goods", country="RU", currency="RUB")
    home = make_category(slug="home")
    sport = make_category(slug="sport")
    ensure_attribute(code="size", name_ru="Размер", name_en="Size")

    def shoe(name_en, name_ru, sizes):
        product = create_product(
            data=ProductInput(
                category=sport,
                name_ru=name_ru,
                name_en=name_en,
                brand="Stridex",
                description_ru="",
                description_en="",
                specs=[],
                variants=[
                    VariantInput(options=[AttributeInput("size", size, size)]) for size in sizes
                ],
            )
        )
        for variant in product.variants.all():
            make_offer(seller=seller, variant=variant, price="3000", stock=4)

    def item(name_en, name_ru, category):
        product = make_product(category=category, name_en=name_en, name_ru=name_ru)
        make_offer(seller=seller, variant=product.variants.get(), price="1500", stock=3)

    item("City Bike", "Городской велосипед", sport)
    item("Electric Kettle", "Электрический чайник", home)
    shoe("Running Shoes", "Кроссовки для бега", ("42", "43"))
    shoe("Court Sneakers", "Кроссовки Court", ("40",))
    rebuild_index()


def names(listing):
    return [summary.product.name_en for summary in listing.page.object_list]


def find(text, **fields):
    return list_products(query=ProductQuery(text=text, **fields))


def test_two_sound_alike_slips_in_a_long_word_are_corrected(shop):
    groups = plan_query(text="вилосепед", backend=get_backend())

    assert [group.distant for group in groups] == [("велосипед",)]
    assert names(find("вилосепед")) == ["City Bike"]
    assert sorted(names(find("крассофки"))) == ["Court Sneakers", "Running Shoes"]


def test_two_slips_far_from_any_likely_typo_are_not_corrected(shop):
    # A vowel typed twice as a letter far from it on the keyboard and in sound: two whole edits.
    assert find("вжлосипжд").total == 0


def test_two_slips_in_a_short_word_are_not_corrected(shop):
    # чайник in six letters, both vowels written as they sound: too short for two edits.
    assert find("чейнек").total == 0


def test_one_slip_is_still_preferred_to_two(shop):
    groups = plan_query(text="велосипедд", backend=get_backend())

    assert [(group.corrected, group.distant) for group in groups] == [(("велосипед",), ())]


def test_a_slip_on_a_neighbouring_key_is_preferred_to_a_letter_across_the_keyboard(shop):
    # given paint and a red mug: "красва" is one letter from краска (в lies next to к) and
    # from красная (н lies across the keyboard from в)
    home = Category.objects.get(slug="home")
    for name_en, name_ru in (
        ("Interior Paint", "Интерьерная краска"),
        ("Red Mug", "Красная кружка"),
    ):
        product = make_product(category=home, name_en=name_en, name_ru=name_ru)
        make_offer(seller=Seller.objects.get(), variant=product.variants.get(), price="900")
    rebuild_index()

    # when a buyer types it
    groups = plan_query(text="красва", backend=get_backend())

    # then it is read as the likely slip only, and the red mug is not among the results
    assert [group.corrected for group in groups] == [("краск",)]
    assert names(find("красва")) == ["Interior Paint"]
    assert names(find("красная")) == ["Red Mug"]


def test_a_query_typed_on_the_wrong_layout_shows_what_the_other_layout_finds(shop):
    listing = search_products(query=ProductQuery(text="xfqybr"))

    assert (listing.typed_text, listing.text, names(listing)) == (
        "xfqybr",
        "чайник",
        ["Electric Kettle"],
    )


def test_the_text_as_typed_stays_as_typed_when_asked(shop):
    listing = search_products(query=ProductQuery(text="xfqybr"), as_typed=True)

    assert (listing.typed_text, listing.text, listing.total) == ("", "xfqybr", 0)


def test_a_query_that_finds_something_is_never_switched(shop):
    listing = search_products(query=ProductQuery(text="чайник"))

    assert (listing.typed_text, names(listing)) == ("", ["Electric Kettle"])


def test_gibberish_on_either_layout_finds_nothing(shop):
    listing = search_products(query=ProductQuery(text="qwertyuiop"))

    assert (listing.typed_text, listing.total) == ("", 0)


def test_the_switched_text_keeps_the_filters(shop):
    listing = search_products(query=ProductQuery(text="xfqybr", price_min=2000))

    assert (listing.typed_text, listing.total) == ("", 0)


@pytest.mark.parametrize(
    "text", ["42 размер", "размер 42", "кроссовки 42 размер", "running shoes size 42"]
)
def test_a_size_in_words_is_matched_to_the_size_options(shop, text):
    assert names(find(text)) == ["Running Shoes"]


def test_a_size_nobody_carries_finds_nothing(shop):
    assert find("кроссовки 45 размер").total == 0
